#include "lode/text.h"
#include "lookalike_table.h"

#include <unicode/utf8.h>

#include <algorithm>

namespace lode::clean_lookalikes {

std::u32string DecodeUtf8(const std::string& s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

namespace {

StatusOr<char32_t> OneCharacter(const DataNode& node, const std::string& what) {
  if (!node.is_scalar()) return node.Error("expected " + what + ", one character");
  const std::u32string s = DecodeUtf8(node.scalar());
  if (s.size() != 1) return node.Error("expected " + what + ", one character, not '" + node.scalar() + "'");
  return s[0];
}

StatusOr<bool> Boolean(const DataNode& node) {
  if (node.is_scalar()) {
    const std::string& s = node.scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  return node.Error("expected true or false");
}

StatusOr<Lookalike> ReadEntry(const DataNode& entry) {
  if (!entry.is_map()) return entry.Error("expected an entry such as {from: 唍, to: 完}");
  Lookalike l;
  const DataNode* from = nullptr;
  const DataNode* to = nullptr;
  for (const auto& [key, value] : entry.entries()) {
    const std::string& k = key.scalar();
    if (k == "from") {
      from = &value;
    } else if (k == "to") {
      to = &value;
    } else if (k == "always") {
      LODE_ASSIGN_OR_RETURN(l.always, Boolean(value));
    } else if (k == "keep") {
      if (!value.is_list()) return value.Error("expected a list of words, such as [汾河, 汾酒]");
      for (const DataNode& word : value.items()) {
        if (!word.is_scalar() || word.scalar().empty()) return word.Error("expected a word");
        l.keep.push_back(DecodeUtf8(word.scalar()));
      }
    } else if (k == "note") {
      if (!value.is_scalar()) return value.Error("expected a note as plain text");
    } else {
      return key.Error("unknown field '" + k + "' (expected from, to, keep, always or note)");
    }
  }
  if (from == nullptr) return entry.Error("the entry has no 'from:' (the look-alike)");
  if (to == nullptr) return entry.Error("the entry has no 'to:' (the character it stands for)");
  LODE_ASSIGN_OR_RETURN(l.from, OneCharacter(*from, "the look-alike"));
  if (to->is_scalar() && to->scalar() == "?")
    return to->Error("replace '?' with the character that '" + from->scalar() + "' stands for");
  LODE_ASSIGN_OR_RETURN(l.to, OneCharacter(*to, "the character it stands for"));
  if (l.to == l.from) return to->Error("'" + from->scalar() + "' stands for itself");
  AppendUtf8(l.to_utf8, l.to);
  // A keep word must contain the look-alike, or it could never apply.
  if (const DataNode* keep = entry.Find("keep")) {
    for (size_t i = 0; i < l.keep.size(); ++i) {
      if (l.keep[i].find(l.from) == std::u32string::npos)
        return keep->items()[i].Error("'" + keep->items()[i].scalar() + "' does not contain '" +
                                      from->scalar() + "'");
    }
  }
  return l;
}

}  // namespace

StatusOr<LookalikeTable> LookalikeTable::FromData(const DataNode& root) {
  if (!root.is_map()) return root.Error("expected a mapping with 'lookalikes:'");
  LookalikeTable table;
  const DataNode* list = nullptr;
  std::unordered_map<char32_t, std::string> first_seen;
  for (const auto& [key, value] : root.entries()) {
    if (key.scalar() == "lookalikes") {
      if (!value.is_list()) return value.Error("'lookalikes:' expects a list of entries");
      list = &value;
    } else if (key.scalar() == "genuine") {
      if (value.is_null()) continue;
      if (!value.is_list()) return value.Error("'genuine:' expects a list of characters");
      for (const DataNode& item : value.items()) {
        LODE_ASSIGN_OR_RETURN(char32_t c, OneCharacter(item, "a genuine character"));
        table.genuine_.insert(c);
      }
    } else {
      return key.Error("unknown key '" + key.scalar() + "' (expected lookalikes or genuine)");
    }
  }
  if (list == nullptr) return root.Error("no 'lookalikes:' list");
  for (const DataNode& entry : list->items()) {
    LODE_ASSIGN_OR_RETURN(Lookalike l, ReadEntry(entry));
    auto [it, fresh] = first_seen.emplace(l.from, entry.where());
    if (!fresh) return entry.Find("from")->Error("'" + entry.Find("from")->scalar() +
                                                 "' is listed twice (first at " + it->second + ")");
    for (const auto& w : l.keep) table.longest_keep_ = std::max(table.longest_keep_, w.size());
    table.index_[l.from] = table.entries_.size();
    table.entries_.push_back(std::move(l));
  }
  for (const Lookalike& l : table.entries_) {
    if (table.genuine_.count(l.from) != 0) {
      // Both lists at once would make the entry's meaning unclear.
      for (const DataNode& item : root.Find("genuine")->items())
        if (DecodeUtf8(item.scalar()) == std::u32string(1, l.from))
          return item.Error("'" + item.scalar() + "' is also a look-alike in 'lookalikes:'");
    }
  }
  return table;
}

}  // namespace lode::clean_lookalikes
