// Spelling suggestions for unknown names ("did you mean 'threshold'?").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lode::host {

// The candidate closest to `word` by edit distance (transpositions count as one
// edit), if it is close enough to be a likely typo; otherwise empty.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace lode::host
