// Which schemas say the same thing: the same keywords, and subschemas that say the same thing in
// turn, wherever they stand. Inline schemas of one shape share one C++ type (build_cpp_api).
#pragma once

#include <cstddef>
#include <vector>

#include "model/model.hpp"

namespace oasgen::naming {

/// A shape number per schema (by SchemaId): equal numbers for schemas whose keywords are equal and
/// whose subschemas have equal shapes, position by position, to any depth (cycles included). Only
/// where a schema stands (origin, name parts) is left out, so one shape gives the same C++ code
/// under any name. A schema marked in `alone` has a shape of its own. Deterministic: numbers
/// follow the first schema of each shape. `threads` as everywhere (support/task_pool.hpp).
std::vector<std::size_t> schema_shapes(const model::Api& api, const std::vector<bool>& alone,
                                       std::size_t threads = 1);

}  // namespace oasgen::naming
