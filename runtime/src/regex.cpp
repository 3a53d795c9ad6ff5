#include <stdexcept>
#include <string>

#include "oasgen/validation.hpp"
#include "regex_internal.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace oasgen {

namespace {

// Bounds on the work of one match, so that a pattern like ^(a+)+$ cannot backtrack for long. A
// legitimate pattern over a request-sized string stays far below them.
constexpr uint32_t kMatchLimit = 1'000'000;
constexpr uint32_t kDepthLimit = 10'000;
constexpr uint32_t kHeapLimitKib = 20 * 1024;

thread_local detail::MatchOutcome last_outcome = detail::MatchOutcome::NoMatch;

}  // namespace

namespace detail {
MatchOutcome last_search_outcome() { return last_outcome; }
}  // namespace detail

struct Regex::Impl {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Impl() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

Regex::Regex(std::string_view pattern) : source_(pattern), impl_(std::make_unique<Impl>()) {
  pcre2_compile_context* compile_context = pcre2_compile_context_create(nullptr);
  if (compile_context == nullptr) throw std::bad_alloc();
  // ECMA-262 as far as PCRE2 goes: \uXXXX and \u{...} escapes, `$` only at the very end, and `.`
  // stopping at CR and LF. No PCRE2_UCP: in ECMA-262 \d and \w are ASCII-only.
  pcre2_set_compile_extra_options(compile_context, PCRE2_EXTRA_ALT_BSUX);
  pcre2_set_newline(compile_context, PCRE2_NEWLINE_ANYCRLF);
  int error = 0;
  PCRE2_SIZE offset = 0;
  impl_->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY,
                    &error, &offset, compile_context);
  pcre2_compile_context_free(compile_context);
  if (impl_->code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw std::invalid_argument("invalid regular expression at offset " + std::to_string(offset) +
                                ": " + reinterpret_cast<const char*>(message));
  }
  // Without JIT support the interpreter runs the same pattern, only slower.
  pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE);
  impl_->context = pcre2_match_context_create(nullptr);
  if (impl_->context == nullptr) throw std::bad_alloc();
  pcre2_set_match_limit(impl_->context, kMatchLimit);
  pcre2_set_depth_limit(impl_->context, kDepthLimit);
  pcre2_set_heap_limit(impl_->context, kHeapLimitKib);
}

Regex::~Regex() = default;

bool Regex::search(std::string_view subject) const {
  // Match data per call keeps `search` thread-safe; one ovector pair is all a yes/no needs.
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  if (data == nullptr) throw std::bad_alloc();
  int rc = pcre2_match(impl_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0,
                       0, data, impl_->context);
  pcre2_match_data_free(data);
  if (rc >= 0) {
    last_outcome = detail::MatchOutcome::Match;
  } else if (rc == PCRE2_ERROR_NOMATCH) {
    last_outcome = detail::MatchOutcome::NoMatch;
  } else {
    // Limits (match, depth, heap, JIT stack) and anything else that stops the matcher.
    last_outcome = detail::MatchOutcome::LimitExceeded;
  }
  return last_outcome == detail::MatchOutcome::Match;
}

}  // namespace oasgen
