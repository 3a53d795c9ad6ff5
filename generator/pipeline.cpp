#include "pipeline.hpp"

#include "load/bundle.hpp"
#include "load/document.hpp"
#include "model/build_model.hpp"
#include "naming/build_cpp_api.hpp"
#include "render/docs_view.hpp"
#include "render/render.hpp"

namespace oasgen {

GenerateResult generate(const std::filesystem::path& spec, const GenerateOptions& options,
                        Diagnostics& diagnostics) {
  GenerateResult result;
  auto document = load::load_document(spec, diagnostics);
  if (!document || diagnostics.has_errors()) return result;
  auto model = model::build_model(*document, diagnostics);
  result.inputs = document->files();
  if (!model || diagnostics.has_errors()) return result;
  auto api = naming::build_cpp_api(*model, options.cpp, diagnostics);
  if (!api || diagnostics.has_errors()) return result;
  result.files = render::render(
      *api, {options.version, options.templates_dir, options.server, options.client, options.parts},
      diagnostics, &result.inputs);
  if (options.docs && result.files) {
    auto docs = render::render_docs(*model, load::bundle(*document, diagnostics),
                                    {options.version, options.templates_dir, options.cpp.ns},
                                    diagnostics, &result.inputs);
    if (!docs) {
      result.files.reset();
      return result;
    }
    result.files->merge(*docs);
  }
  return result;
}

GenerateResult generate_docs(const std::filesystem::path& spec, const GenerateOptions& options,
                             Diagnostics& diagnostics) {
  GenerateResult result;
  auto document = load::load_document(spec, diagnostics);
  if (!document || diagnostics.has_errors()) return result;
  auto model = model::build_model(*document, diagnostics);
  result.inputs = document->files();
  if (!model || diagnostics.has_errors()) return result;
  result.files = render::render_docs(*model, load::bundle(*document, diagnostics),
                                     {options.version, options.templates_dir, ""}, diagnostics,
                                     &result.inputs);
  return result;
}

}  // namespace oasgen
