// Runtime-internal: what `Regex::search` cannot say through its bool.
#pragma once

namespace oasgen::detail {

enum class MatchOutcome { Match, NoMatch, LimitExceeded };

/// The outcome of the calling thread's most recent `Regex::search`, so that `Validator::pattern`
/// can tell a value that does not match from a match that was cut short by the backtracking limits.
MatchOutcome last_search_outcome();

}  // namespace oasgen::detail
