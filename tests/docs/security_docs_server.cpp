// security_docs_server: specs/security.yaml served with its /docs on an ephemeral port of
// 127.0.0.1, for the browser test of "Try it out" on secured operations. Every operation answers
// with who was admitted (specs/security.yaml's Caller). Each scheme accepts one secret, kSecret
// (basic: user "alice" with it as the password), and rejects anything else. Prints
// "listening on http://127.0.0.1:N" and runs until SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <cstdint>
#include <iostream>
#include <oasgen/server.hpp>
#include <string>
#include <string_view>

#include "secured/docs.hpp"
#include "secured/server.hpp"
#include "security_judge.hpp"

namespace {

constexpr std::string_view kSecret = "s3cret";

secured::Caller caller(oasgen::Context& context) {
  secured::Caller out;
  const oasgen::Principal* principal = context.principal();
  out.anonymous = principal == nullptr;
  if (principal == nullptr) return out;
  out.alternative = static_cast<std::int64_t>(principal->alternative);
  out.subject = std::string(principal->subject());
  out.schemes.emplace();
  for (const auto& identity : principal->identities) out.schemes->push_back(identity.scheme);
  return out;
}

class Echo : public secured::Handler {
 public:
  secured::BothResult both(const secured::BothRequest&, oasgen::Context& c) override {
    return secured::BothOk{caller(c)};
  }
  secured::EitherResult either(const secured::EitherRequest&, oasgen::Context& c) override {
    return secured::EitherOk{caller(c)};
  }
  secured::InheritedResult inherited(const secured::InheritedRequest&,
                                     oasgen::Context& c) override {
    return secured::InheritedOk{caller(c)};
  }
  secured::OptionalAuthResult optional_auth(const secured::OptionalAuthRequest&,
                                            oasgen::Context& c) override {
    return secured::OptionalAuthOk{caller(c)};
  }
  secured::ReadPetsResult read_pets(const secured::ReadPetsRequest&, oasgen::Context& c) override {
    return secured::ReadPetsOk{caller(c)};
  }
  secured::WritePetsResult write_pets(const secured::WritePetsRequest&,
                                      oasgen::Context& c) override {
    return secured::WritePetsOk{caller(c)};
  }
  secured::ProfileResult profile(const secured::ProfileRequest&, oasgen::Context& c) override {
    return secured::ProfileOk{caller(c)};
  }
  secured::PublicOperationResult public_operation(const secured::PublicOperationRequest&,
                                                  oasgen::Context& c) override {
    return secured::PublicOperationOk{caller(c)};
  }
  secured::SignedResult signed_(const secured::SignedRequest&, oasgen::Context& c) override {
    return secured::SignedOk{caller(c)};
  }
};

oasgen::AuthResult judge_secret(std::string_view secret, const oasgen::AuthCheck& check) {
  if (secret != kSecret) return oasgen::AuthResult::reject("unknown credential");
  oasgen::Identity identity;
  identity.subject = "alice";
  for (std::string_view scope : check.scopes) identity.scopes.emplace_back(scope);
  return oasgen::AuthResult::admit(std::move(identity));
}

using Judge = security_test::SecretJudge<secured::Authenticator>;

}  // namespace

int main() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    Echo echo;
    Judge judge{judge_secret};
    oasgen::Router router;
    secured::register_routes(router, echo, judge);
    secured::register_docs(router);
    oasgen::ServerOptions options;
    options.port = 0;
    oasgen::Server server(router, options);
    std::cout << "listening on http://127.0.0.1:" << server.start() << std::endl;
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "security_docs_server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
