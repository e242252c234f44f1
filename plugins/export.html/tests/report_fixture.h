// Synthetic documents with the rows a full pipeline writes (items, metrics,
// progress, audits, repairs, duplicates), in the style of the seed report: for
// the unit tests, the browser test and the benchmark of export.html. The text
// is our own; the numbers are made up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lode/lode.h"

namespace lode::html_fixture {

// Every table of a full pipeline, as OutputContext declares them.
OutputContext FullContext(const std::string& pipeline = "work-report");

// Rows, one call per row, in the tables' column order.
// bytes and chars: the sizes the row states (the fixture's documents carry no text).
void AddDocumentRow(Document& doc, int64_t bytes = 0, int64_t chars = 0);
void AddItem(Document& doc, int64_t part, const std::string& part_title, int64_t section,
             const std::string& section_title, int64_t item, const std::string& title, const std::string& owners,
             const std::string& status, int64_t line);
// A figure whose `text` appears in the item's title (field "target") or status
// (field "status").
void AddMetric(Document& doc, int64_t item, const std::string& field, const std::string& role,
               const std::string& subject, const std::string& predicate, const std::string& text, double value,
               const std::string& unit, double canonical, const std::string& canonical_unit,
               const std::string& qualifier = "", const std::string& period = "");
void AddProgress(Document& doc, int64_t item, const std::string& subject, const std::string& kind, double target,
                 double actual, const std::string& unit);
void AddAudit(Document& doc, int64_t item, double stated, double part, double whole, const std::string& verdict,
              const std::string& text);
void AddRepair(Document& doc, const std::string& kind, const std::string& from, const std::string& to,
               int64_t raw_begin);
void AddDuplicate(Document& doc, const std::string& kind, const std::string& of, double similarity);

// The `runs` row a pipeline passes to Close.
TableRow RunsRow(const std::string& pipeline, int64_t documents, int64_t kept, int64_t duplicates, int64_t quarantined);

// A kept report of `items` numbered items (3 targets in part 一, the rest key
// tasks in part 二 over five sections), about 0.8 figures per item, pairs,
// audits (one in twelve stated rates wrong), repairs. Deterministic in `seed`.
Document GeneratedReport(const std::string& id, uint64_t sequence, int items, uint64_t seed);

// The first three items of a seed-like report, written out by hand: the unit
// tests check the page against these.
Document HandWrittenReport(const std::string& id, uint64_t sequence);

}  // namespace lode::html_fixture
