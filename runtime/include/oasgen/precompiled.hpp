// Every header the generated code includes from outside the API: the runtime's, nlohmann's and the
// standard library's. oasgen_generate(... PRECOMPILE_RUNTIME) precompiles this one header for the
// target's files. A spec edit never changes it, so after an edit only the generated code is
// parsed again, not these headers (nlohmann/json.hpp alone is most of a small API's build).
// runtime_pch_test checks that the built-in templates include nothing missing here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>
#include <oasgen/client.hpp>
#include <oasgen/context.hpp>
#include <oasgen/dispatch.hpp>
#include <oasgen/docs.hpp>
#include <oasgen/encode.hpp>
#include <oasgen/json.hpp>
#include <oasgen/json_coding.hpp>
#include <oasgen/json_writer.hpp>
#include <oasgen/operation.hpp>
#include <oasgen/optional.hpp>
#include <oasgen/params.hpp>
#include <oasgen/result.hpp>
#include <oasgen/router.hpp>
#include <oasgen/validation.hpp>
