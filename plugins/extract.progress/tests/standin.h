// STAND-IN for the stages that run before extract.metrics in the main
// pipeline (normalize.text, clean.lookalikes, dedup.repeats, segment.outline),
// used only by this folder's seed test and benchmark until those stages land.
// It is deliberately simple and is not a model for them:
//
//   StandInClean    replaces, one character at a time and without looking at
//                   context, every look-alike of configs/zh/lookalikes.yaml and
//                   a short fixed list of traditional characters;
//   StandInOutline  keeps the first copy of the report (item numbers that run
//                   1, 2, 3 … until they start again) and marks `item` spans on
//                   lines matching ^\s*\d+[.．], a `field` span field=title for
//                   the line's text up to (责任单位, and field=status for the
//                   text after 完成情况: up to the next item or heading.
//
// The spans follow docs/spans.md, so switching the tests to the real stages
// changes nothing downstream.
#pragma once

#include <string>

#include "lode/document.h"

namespace lode::standin {

// Returns false when the look-alike file cannot be read.
bool StandInClean(Document& doc, const std::string& lookalikes_yaml);

// Returns the number of items marked.
int StandInOutline(Document& doc);

}  // namespace lode::standin
