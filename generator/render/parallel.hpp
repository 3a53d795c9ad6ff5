// The render stage's task pool: the one of support/, by its older names.
#pragma once

#include "support/task_pool.hpp"

namespace oasgen::render {

using oasgen::default_threads;
using oasgen::TaskPool;

}  // namespace oasgen::render
