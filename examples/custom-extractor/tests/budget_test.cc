#include <gtest/gtest.h>

#include <cstdlib>

#include "lode/testing.h"

LODE_DECLARE_STATIC_PLUGIN(budget);

namespace {

lode::SetupContext InstalledConfigs() {
  lode::SetupContext s;
  const char* configs = std::getenv("LODE_CONFIGS");
  if (configs) s.data_dirs = {configs};
  return s;
}

TEST(BudgetProjects, OneRowPerAmountWithItsProject) {
  auto stage = lode::StageHarness::Create(lode_plugin_budget(), "budget.projects", "", InstalledConfigs());
  ASSERT_TRUE(stage.ok()) << stage.status().ToString();
  lode::Document doc = lode::StageHarness::MakeDocument(
      "p", "新生路片项目总投资12.5亿元，已完成投资3,200万元。\n区财政安排专项资金约两千万元；新建道路11条。");
  ASSERT_TRUE((*stage)->Process(doc).ok());
  ASSERT_EQ(doc.rows.size(), 3u);
  auto cell = [&](size_t row, size_t col) { return doc.rows[row].row.cells[col]; };
  EXPECT_EQ(std::get<std::string>(cell(0, 1)), "新生路片项目");
  EXPECT_EQ(std::get<std::string>(cell(0, 2)), "总投资");
  EXPECT_DOUBLE_EQ(std::get<double>(cell(0, 3)), 1.25e9);
  EXPECT_EQ(std::get<std::string>(cell(1, 1)), "已完成");
  EXPECT_DOUBLE_EQ(std::get<double>(cell(1, 3)), 3.2e7);
  EXPECT_EQ(std::get<std::string>(cell(2, 1)), "区财政安排专项");
  EXPECT_DOUBLE_EQ(std::get<double>(cell(2, 3)), 2e7);
  EXPECT_EQ(std::get<std::string>(cell(2, 4)), "approx");
  EXPECT_EQ(std::get<int64_t>(cell(2, 6)), 2);  // on the second line
}

TEST(BudgetProjects, CountsAndPercentagesAreNotBudgetLines) {
  auto stage = lode::StageHarness::Create(lode_plugin_budget(), "budget.projects", "min_yuan: 1e6", InstalledConfigs());
  ASSERT_TRUE(stage.ok()) << stage.status().ToString();
  lode::Document doc =
      lode::StageHarness::MakeDocument("p", "投资增长15%，投资项目12个，预算外资金50万元。");
  ASSERT_TRUE((*stage)->Process(doc).ok());
  EXPECT_TRUE(doc.rows.empty());  // 15% and 12个 are not amounts; 50万元 is under min_yuan
}

}  // namespace
