// export.html: the page's own style sheet and script, inlined into every report
// so that it opens from disk with nothing to fetch.
#pragma once

#include <string_view>

namespace lode::html {

// The whole style sheet (the contents of <style>).
extern const std::string_view kStyle;

// The few lines of script: expand/collapse all, show only flagged items, find a
// document, open the document a link points into. The page reads completely
// without it: the controls it drives stay hidden until it runs.
extern const std::string_view kScript;

}  // namespace lode::html
