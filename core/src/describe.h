// What `lode plugins` and `lode plugins describe` print: all of it comes from
// the stages' own declarations.
#pragma once

#include <string>
#include <vector>

#include "host_registry.h"

namespace lode::host {

// One block per plugin: name, version, file, then each stage with its summary.
std::string ListPlugins(const HostRegistry& registry);

enum class DescribeFormat { kText, kJson, kMarkdown };

// Every parameter (type, default, constraints, doc) and every table the stage
// writes (columns, types, docs). kJson is a JSON Schema of the stage's `with:`
// mapping, with its tables under "x-lode-tables".
std::string DescribeStage(const StageEntry& stage, DescribeFormat format);

// A Markdown page of tables and their columns (docs/tables.md).
std::string DescribeTables(const std::vector<TableSchema>& tables);

}  // namespace lode::host
