// Do two copies of a report state the same figures?
//
// The lines of the two copies are aligned by their shapes (the text with every
// figure folded to one placeholder; record.h) with a shortest edit script
// (dtl, the Wu–Manber–Myers O(NP) algorithm). Lines left aligned say the same
// thing in the same words. Between two aligned stretches, a line of one copy
// is paired with a line of the other when both have as many figures and their
// sketches agree (the same sentence with a look-alike or a reworded phrase);
// inserted and deleted lines stay unpaired. Figures of paired lines are
// compared in order; those that differ in value ("916,564" and "916564" do
// not) are disagreements: the copies are revisions of each other, not
// duplicates.
//
// Weak evidence: dates, times and spans of months (when a page was posted,
// not what the report states), and figures on lines with fewer than
// kMinFigureLineChars characters besides them (a view counter, a page
// number). They count only when the two texts have no other figures to
// compare (a one-line page), so that short texts that differ in a figure are
// still told apart.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "record.h"

namespace lode::dedup_near {

constexpr uint32_t kMinFigureLineChars = 8;
// Above this many lines in the two texts together, lines are paired by shape
// alone (see CompareFigures).
constexpr size_t kMaxAlignedLines = 200000;
// Sketch bytes (of kSketchBytes) two lines must share to be paired: a
// similarity of about 0.55 between their sets of character pairs. Erring
// towards pairing is the safe side: a wrong pair can only make a copy a
// revision (kept), a missed pair can make a revision a copy (dropped).
constexpr int kMinSameSketchBytes = 9;

struct Disagreement {
  size_t earlier;  // index into the earlier copy's figures
  size_t later;    // index into the later copy's figures
};

// Figures of paired lines whose values differ. Empty when either record's
// figures are incomplete (record.h's limits).
std::vector<Disagreement> CompareFigures(const NearRecord& earlier, const NearRecord& later);

// Equal when two figures have the same value as written: thousands
// separators, leading zeros and trailing decimal zeros aside.
bool SameFigure(std::string_view a, std::string_view b);

}  // namespace lode::dedup_near
