// petstore-server: the generated petstore API served over HTTP by the oasgen runtime, configured
// from OASGEN_* environment variables (see the README's table, or --help) and drained on SIGTERM.
#include <exception>
#include <oasgen/service_main.hpp>
#include <petstore/docs.hpp>

#include "pet_store.hpp"

int main(int argc, char** argv) {
  oasgen::ServiceMain service("petstore-server");  // first: blocks SIGINT/SIGTERM for every thread
  // The example logs to stderr unless told otherwise; the library's default is no log.
  oasgen::ServiceConfig defaults;
  defaults.access_log.target = oasgen::AccessLogSetting::Target::Stderr;
  if (auto exit = service.configure(argc, argv, defaults)) return *exit;

  example::PetStore store;
  oasgen::Router router;
  petstore::register_routes(router, store);
  petstore::register_docs(router);  // GET /docs (the reference page) and GET /openapi.json
  try {
    // The access log, metrics, request ids, health, CORS and rate limits the configuration asks for.
    service.install(router, petstore::kOperations);
  } catch (const std::exception& e) {
    return service.fail(e.what());
  }
  return service.serve(router);
}
