#include "outline_rules.h"

#include <cstdlib>
#include <initializer_list>
#include <utility>

namespace lode::outline {

namespace {

RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_log_errors(false);  // errors are reported with their place instead
  return o;
}

StatusOr<std::unique_ptr<RE2>> CompilePattern(const DataNode& node, int min_groups) {
  if (!node.is_scalar() || node.scalar().empty()) return node.Error("expected an RE2 pattern");
  auto re = std::make_unique<RE2>(node.scalar(), PatternOptions());
  if (!re->ok()) return node.Error("not a valid RE2 pattern: " + re->error());
  if (re->NumberOfCapturingGroups() < min_groups)
    return node.Error("the pattern needs a group, ( … ), around the number");
  return re;
}

StatusOr<std::vector<std::string>> StringList(const DataNode& node) {
  if (!node.is_list() || node.items().empty()) return node.Error("expected a list of strings");
  std::vector<std::string> out;
  for (const DataNode& item : node.items()) {
    if (!item.is_scalar() || item.scalar().empty()) return item.Error("expected a non-empty string");
    out.push_back(item.scalar());
  }
  return out;
}

Status CheckKeys(const DataNode& map, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : map.entries()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key.scalar() == a;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return key.Error("unknown key '" + key.scalar() + "' (expected one of: " + list + ")");
    }
  }
  return OkStatus();
}

StatusOr<bool> ReadBool(const DataNode& node) {
  if (node.is_scalar()) {
    const std::string& s = node.scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  return node.Error("expected true or false");
}

StatusOr<Level> ReadLevel(const DataNode& node) {
  if (!node.is_map()) return node.Error("expected a level: a mapping with name, role and styles");
  LODE_RETURN_IF_ERROR(CheckKeys(node, {"name", "role", "styles", "restarts", "max_gap"}));
  Level level;
  const DataNode* name = node.Find("name");
  if (name == nullptr || !name->is_scalar()) return node.Error("a level needs a name");
  level.name = name->scalar();
  const DataNode* role = node.Find("role");
  if (role == nullptr) return node.Error("level '" + level.name + "' needs a role (part, section, item or point)");
  const std::string& r = role->scalar();
  if (r == "part") level.role = Role::kPart;
  else if (r == "section") level.role = Role::kSection;
  else if (r == "item") level.role = Role::kItem;
  else if (r == "point") level.role = Role::kPoint;
  else return role->Error("unknown role '" + r + "' (expected part, section, item or point)");
  if (const DataNode* restarts = node.Find("restarts")) {
    LODE_ASSIGN_OR_RETURN(level.restarts, ReadBool(*restarts));
  }
  if (const DataNode* gap = node.Find("max_gap")) {
    char* end = nullptr;
    long v = gap->is_scalar() ? std::strtol(gap->scalar().c_str(), &end, 10) : -1;
    if (!gap->is_scalar() || end == gap->scalar().c_str() || *end != '\0' || v < 0 || v > 1000)
      return gap->Error("expected a whole number from 0 to 1000");
    level.max_gap = static_cast<int>(v);
  }
  const DataNode* styles = node.Find("styles");
  if (styles == nullptr || !styles->is_list() || styles->items().empty())
    return node.Error("level '" + level.name + "' needs a list of styles");
  for (const DataNode& s : styles->items()) {
    if (!s.is_map()) return s.Error("expected a style: a mapping with a marker pattern");
    LODE_RETURN_IF_ERROR(CheckKeys(s, {"name", "marker", "reject_next"}));
    MarkerStyle style;
    if (const DataNode* n = s.Find("name")) style.name = n->scalar();
    const DataNode* marker = s.Find("marker");
    if (marker == nullptr) return s.Error("a style needs a marker pattern");
    LODE_ASSIGN_OR_RETURN(style.marker, CompilePattern(*marker, 1));
    if (const DataNode* reject = s.Find("reject_next")) {
      LODE_ASSIGN_OR_RETURN(style.reject_next, CompilePattern(*reject, 0));
    }
    level.styles.push_back(std::move(style));
  }
  return level;
}

// Blanks between a label and its colon: ASCII blanks and the ideographic space.
size_t BlankLength(std::string_view t, size_t i) {
  if (i < t.size() && (t[i] == ' ' || t[i] == '\t')) return 1;
  if (t.substr(i, 3) == "\u3000") return 3;
  return 0;
}

size_t ColonLength(std::string_view t, size_t i) {
  if (i < t.size() && t[i] == ':') return 1;
  if (t.substr(i, 3) == "：") return 3;
  return 0;
}

}  // namespace

size_t LabelSet::MatchAt(std::string_view text, size_t at) const {
  if (at >= text.size()) return 0;
  for (const std::string& label : labels_) {
    // Most lines differ in their first byte or two: no call to memcmp.
    if (text[at] != label[0] || (label.size() > 1 && (at + 1 >= text.size() || text[at + 1] != label[1]))) continue;
    if (text.substr(at, label.size()) != label) continue;
    size_t i = at + label.size();
    for (size_t b; (b = BlankLength(text, i)) > 0;) i += b;
    if (size_t c = ColonLength(text, i)) return i + c - at;
  }
  return 0;
}

bool LabelSet::Find(std::string_view text, size_t from, size_t to, size_t& begin, size_t& end) const {
  // Colons are rare and every label ends at one: look before each colon.
  text = text.substr(0, to);
  size_t ascii = text.find(':', from), wide = text.find("：", from);
  while (ascii != std::string_view::npos || wide != std::string_view::npos) {
    const size_t colon = std::min(ascii, wide);
    size_t j = colon;
    while (j > from && (text[j - 1] == ' ' || text[j - 1] == '\t')) --j;
    while (j >= from + 3 && text.substr(j - 3, 3) == "\u3000") j -= 3;
    for (const std::string& label : labels_) {
      if (j >= from + label.size() && text.substr(j - label.size(), label.size()) == label) {
        begin = j - label.size();
        end = colon + ColonLength(text, colon);
        return true;
      }
    }
    // Each search resumes where it stopped, so a long line is read once.
    if (colon == ascii) ascii = text.find(':', colon + 1);
    else wide = text.find("：", colon + 3);
  }
  return false;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPart: return "part";
    case Role::kSection: return "section";
    case Role::kItem: return "item";
    case Role::kPoint: return "point";
  }
  return "point";
}

StatusOr<std::shared_ptr<const OutlineRules>> OutlineRules::Load(const std::string& path) {
  LODE_ASSIGN_OR_RETURN(DataNode root, LoadDataFile(path));
  return FromNode(root);
}

StatusOr<std::shared_ptr<const OutlineRules>> OutlineRules::FromNode(const DataNode& root) {
  if (!root.is_map()) return root.Error("expected a mapping with levels, labels and owner_separators");
  LODE_RETURN_IF_ERROR(
      CheckKeys(root, {"levels", "labels", "owner_separators", "declared_count", "dedent_ends_item"}));
  auto rules = std::make_shared<OutlineRules>();

  const DataNode* levels = root.Find("levels");
  if (levels == nullptr || !levels->is_list() || levels->items().empty())
    return root.Error("expected 'levels:', a list of outline levels, outermost first");
  for (const DataNode& node : levels->items()) {
    LODE_ASSIGN_OR_RETURN(Level level, ReadLevel(node));
    if (level.role != Role::kPoint) {
      for (const Level& other : rules->levels)
        if (other.role == level.role)
          return node.Error("two levels have the role " + std::string(RoleName(level.role)) + " ('" + other.name +
                            "' and '" + level.name + "')");
    }
    if (level.role == Role::kItem) rules->item_level = static_cast<int>(rules->levels.size());
    rules->levels.push_back(std::move(level));
  }
  if (rules->item_level < 0) return levels->Error("no level has the role item");

  const DataNode* labels = root.Find("labels");
  if (labels == nullptr || !labels->is_map()) return root.Error("expected 'labels:' with owners and status lists");
  LODE_RETURN_IF_ERROR(CheckKeys(*labels, {"owners", "status"}));
  const DataNode* owners = labels->Find("owners");
  const DataNode* status = labels->Find("status");
  if (owners == nullptr) return labels->Error("expected 'owners:', the labels of responsible units");
  if (status == nullptr) return labels->Error("expected 'status:', the labels of an item's status");
  LODE_ASSIGN_OR_RETURN(std::vector<std::string> owner_words, StringList(*owners));
  LODE_ASSIGN_OR_RETURN(std::vector<std::string> status_words, StringList(*status));
  for (std::string& w : status_words) rules->status_labels.Add(std::move(w));
  for (std::string& w : owner_words) rules->owner_labels.Add(std::move(w));

  if (const DataNode* seps = root.Find("owner_separators")) {
    LODE_ASSIGN_OR_RETURN(rules->owner_separators, StringList(*seps));
  } else {
    rules->owner_separators = {"、", "，", ",", "；", ";"};
  }
  if (const DataNode* count = root.Find("declared_count")) {
    LODE_ASSIGN_OR_RETURN(rules->declared_count, CompilePattern(*count, 1));
  }
  if (const DataNode* dedent = root.Find("dedent_ends_item")) {
    LODE_ASSIGN_OR_RETURN(rules->dedent_ends_item, ReadBool(*dedent));
  }

  std::string alternation;
  int groups = 0;
  for (size_t l = 0; l < rules->levels.size(); ++l) {
    const Level& level = rules->levels[l];
    // Points are read as text wherever they stand, so they need no matching.
    if (level.role == Role::kPoint) continue;
    for (size_t s = 0; s < level.styles.size(); ++s) {
      const RE2& marker = *level.styles[s].marker;
      alternation += (alternation.empty() ? "(?:(" : ")|(") + marker.pattern();
      rules->marker_alternatives.push_back({static_cast<int>(l), static_cast<int>(s), groups + 1});
      groups += 1 + marker.NumberOfCapturingGroups();
    }
  }
  rules->markers = std::make_unique<RE2>(alternation + "))", PatternOptions());
  if (!rules->markers->ok())
    return InternalError("the outline markers do not combine into one pattern: " + rules->markers->error());
  rules->marker_groups = groups;
  return std::shared_ptr<const OutlineRules>(std::move(rules));
}

namespace {

// Decodes one code point of valid UTF-8 at s[i]; returns its length.
size_t Decode(std::string_view s, size_t i, char32_t& cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80 || i + 1 >= s.size()) {
    cp = c;
    return 1;
  }
  if (c < 0xE0) {
    cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    if (i + 2 >= s.size()) return cp = c, 1;
    cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    return 3;
  }
  if (i + 3 >= s.size()) return cp = c, 1;
  cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
  return 4;
}

int ChineseDigit(char32_t cp) {
  switch (cp) {
    case U'零': case U'〇': return 0;
    case U'一': return 1;
    case U'二': case U'两': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    default: return -1;
  }
}

int ChineseUnit(char32_t cp) {
  switch (cp) {
    case U'十': return 10;
    case U'百': return 100;
    case U'千': return 1000;
    default: return 0;
  }
}

std::optional<int64_t> Enclosed(char32_t cp) {
  if (cp >= 0x2460 && cp <= 0x2473) return cp - 0x2460 + 1;   // ① … ⑳
  if (cp >= 0x2474 && cp <= 0x2487) return cp - 0x2474 + 1;   // ⑴ … ⒇
  if (cp >= 0x2488 && cp <= 0x249B) return cp - 0x2488 + 1;   // ⒈ … ⒛
  if (cp >= 0x3251 && cp <= 0x325F) return cp - 0x3251 + 21;  // ㉑ … ㉟
  if (cp >= 0x32B1 && cp <= 0x32BF) return cp - 0x32B1 + 36;  // ㊱ … ㊿
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ParseOutlineNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  char32_t cp;
  size_t n = Decode(s, 0, cp);
  if (n == s.size())
    if (auto v = Enclosed(cp)) return v;
  // Digits, ASCII or full width.
  int64_t value = 0;
  bool digits = true;
  for (size_t i = 0; i < s.size() && digits;) {
    i += Decode(s, i, cp);
    int d = cp >= U'0' && cp <= U'9' ? static_cast<int>(cp - U'0')
            : cp >= U'０' && cp <= U'９' ? static_cast<int>(cp - U'０')
                                          : -1;
    if (d < 0) digits = false;
    else value = value * 10 + d;
    if (value > 99999) return std::nullopt;
  }
  if (digits) return value;
  // Chinese numerals: 十 = 10, 十二 = 12, 二十 = 20, 一百零五 = 105, and digit by
  // digit when no unit is written (一〇 = 10).
  int64_t total = 0, current = 0, plain = 0;
  bool any = false, units = false;
  for (size_t i = 0; i < s.size();) {
    i += Decode(s, i, cp);
    if (int d = ChineseDigit(cp); d >= 0) {
      current = d;
      plain = plain * 10 + d;
    } else if (int u = ChineseUnit(cp); u > 0) {
      total += (current == 0 && !any ? 1 : current) * u;
      current = 0;
      units = true;
    } else {
      return std::nullopt;
    }
    any = true;
    if (total > 99999 || plain > 99999) return std::nullopt;
  }
  return units ? total + current : plain;
}

}  // namespace lode::outline
