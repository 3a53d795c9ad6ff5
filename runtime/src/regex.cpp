#include <stdexcept>
#include <string>

#include "ecma_regex.hpp"
#include "oasgen/validation.hpp"

namespace oasgen {

namespace {

// Bounds on the work of one match, so that a pattern like ^(a+)+$ cannot backtrack for long. A
// legitimate pattern over a request-sized string stays far below them.
constexpr uint32_t kMatchLimit = 1'000'000;
constexpr uint32_t kDepthLimit = 10'000;
constexpr uint32_t kHeapLimitKib = 20 * 1024;

// One ovector pair is all a yes/no needs, and it serves every pattern: a per-thread block saves an
// allocation per match on the hot path and keeps `match` thread-safe.
struct MatchData {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  ~MatchData() { pcre2_match_data_free(data); }
};

}  // namespace

struct Regex::Impl {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Impl() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

Regex::Regex(std::string_view pattern) : source_(pattern), impl_(std::make_unique<Impl>()) {
  std::string error;
  impl_->code = detail::compile_ecma_regex(pattern, error);
  if (impl_->code == nullptr) throw std::invalid_argument(error);
  // Without JIT support the interpreter runs the same pattern, only slower.
  pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE);
  impl_->context = pcre2_match_context_create(nullptr);
  if (impl_->context == nullptr) throw std::bad_alloc();
  pcre2_set_match_limit(impl_->context, kMatchLimit);
  pcre2_set_depth_limit(impl_->context, kDepthLimit);
  pcre2_set_heap_limit(impl_->context, kHeapLimitKib);
}

Regex::~Regex() = default;

Regex::Result Regex::match(std::string_view subject) const {
  thread_local MatchData match_data;
  if (match_data.data == nullptr) throw std::bad_alloc();
  const int rc = pcre2_match(impl_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                             subject.size(), 0, 0, match_data.data, impl_->context);
  if (rc >= 0) return Result::Match;
  if (rc == PCRE2_ERROR_NOMATCH) return Result::NoMatch;
  // Limits (match, depth, heap, JIT stack) and anything else that stops the matcher.
  return Result::LimitExceeded;
}

}  // namespace oasgen
