#include "lode/text.h"
#include "simplified_table.h"

#include <unicode/translit.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/usetiter.h>
#include <unicode/utf8.h>

#include <chrono>

namespace lode::normalize_text {

StatusOr<char32_t> SingleCharacter(const DataNode& node, const char* what) {
  if (!node.is_scalar()) return node.Error(std::string("expected ") + what + ", one character");
  const std::string& s = node.scalar();
  int32_t i = 0;
  UChar32 c = -1;
  if (!s.empty()) U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  if (c < 0 || static_cast<size_t>(i) != s.size())
    return node.Error(std::string("expected ") + what + ", one character, not '" + s + "'");
  return static_cast<char32_t>(c);
}

StatusOr<std::shared_ptr<const SimplifiedTable>> SimplifiedTable::BuildFromIcu() {
  const auto t0 = std::chrono::steady_clock::now();
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> tr(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, ec));
  if (U_FAILURE(ec) || tr == nullptr)
    return InternalError(std::string("ICU has no Traditional-Simplified transliterator: ") + u_errorName(ec));
  // The source set is every character some rule can change: a few thousand,
  // so asking about each is cheaper than a sweep over the CJK blocks.
  icu::UnicodeSet source;
  tr->getSourceSet(source);
  auto table = std::make_shared<SimplifiedTable>();
  icu::UnicodeSetIterator it(source);
  while (it.next()) {
    if (it.isString()) continue;
    const UChar32 c = it.getCodepoint();
    icu::UnicodeString s(c);
    tr->transliterate(s);
    if (s.length() == 0 || s == icu::UnicodeString(c)) continue;
    if (s.countChar32() != 1) {
      table->dropped_.push_back(static_cast<char32_t>(c));
      continue;
    }
    table->map_[static_cast<char32_t>(c)] = static_cast<char32_t>(s.char32At(0));
  }
  table->build_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return std::shared_ptr<const SimplifiedTable>(std::move(table));
}

StatusOr<std::shared_ptr<const SimplifiedTable>> SimplifiedTable::FromIcu() {
  // One build per process: every normalize.text stage shares it read-only.
  static const StatusOr<std::shared_ptr<const SimplifiedTable>> table = BuildFromIcu();
  return table;
}

Status SimplifiedTable::ApplyRules(const DataNode& root) {
  if (!root.is_map()) return root.Error("expected a mapping with 'keep:' and 'add:'");
  for (const auto& [key, value] : root.entries()) {
    if (key.scalar() == "keep") {
      if (value.is_null()) continue;
      if (!value.is_list()) return value.Error("'keep:' expects a list of characters");
      for (const DataNode& item : value.items()) {
        LODE_ASSIGN_OR_RETURN(char32_t c, SingleCharacter(item, "a character to keep"));
        Remove(c);
      }
    } else if (key.scalar() == "add") {
      if (value.is_null()) continue;
      if (!value.is_map()) return value.Error("'add:' expects a mapping of characters, from: to");
      for (const auto& [from, to] : value.entries()) {
        LODE_ASSIGN_OR_RETURN(char32_t f, SingleCharacter(from, "the traditional character"));
        LODE_ASSIGN_OR_RETURN(char32_t s, SingleCharacter(to, "its simplified form"));
        if (f == s) return to.Error("a character mapped to itself");
        Add(f, s);
      }
    } else {
      return key.Error("unknown key '" + key.scalar() + "' (expected keep or add)");
    }
  }
  return OkStatus();
}

}  // namespace lode::normalize_text
