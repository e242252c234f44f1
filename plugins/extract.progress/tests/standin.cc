#include "standin.h"

#include <map>
#include <vector>

#include "lode/data_file.h"

namespace lode::standin {
namespace {

size_t CharLen(unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1; }

// Traditional characters of the seed that sit in figures' subjects and cues.
const std::pair<const char*, const char*> kTraditional[] = {
    {"優", "优"}, {"計", "计"}, {"庫", "库"}, {"聯", "联"}, {"實", "实"}, {"發", "发"}, {"業", "业"},
    {"區", "区"}, {"項", "项"}, {"場", "场"}, {"戶", "户"}, {"與", "与"}, {"為", "为"}, {"長", "长"},
    {"劃", "划"}, {"務", "务"}, {"個", "个"}, {"處", "处"}, {"萬", "万"}, {"億", "亿"}, {"樓", "楼"},
    {"體", "体"}, {"點", "点"}, {"設", "设"}, {"電", "电"}, {"車", "车"}, {"補", "补"}, {"貼", "贴"},
    {"辦", "办"}, {"護", "护"}, {"擔", "担"}, {"應", "应"}, {"對", "对"}, {"領", "领"}, {"導", "导"},
};

}  // namespace

bool StandInClean(Document& doc, const std::string& lookalikes_yaml) {
  auto root = LoadDataFile(lookalikes_yaml);
  if (!root.ok()) return false;
  std::map<std::string, std::string> to;
  if (const DataNode* list = root->Find("lookalikes"); list && list->is_list())
    for (const DataNode& e : list->items())
      if (const DataNode* f = e.Find("from"); f)
        if (const DataNode* t = e.Find("to"); t) to[f->scalar()] = t->scalar();
  for (const auto& [f, t] : kTraditional) to[f] = t;
  std::vector<TextEdit> edits;
  const std::string& s = doc.text;
  for (size_t i = 0; i < s.size();) {
    size_t n = std::min(CharLen(static_cast<unsigned char>(s[i])), s.size() - i);
    if (n > 1) {
      auto it = to.find(s.substr(i, n));
      if (it != to.end()) edits.push_back({i, i + n, it->second});
    }
    i += n;
  }
  return doc.ApplyEdits(edits);
}

int StandInOutline(Document& doc) {
  const std::string& s = doc.text;
  struct Line {
    size_t begin, body, end;  // line start, after indentation, before '\n'
  };
  std::vector<Line> lines;
  for (size_t b = 0; b < s.size();) {
    size_t e = s.find('\n', b);
    if (e == std::string::npos) e = s.size();
    size_t body = b;
    for (;;) {
      if (body < e && (s[body] == ' ' || s[body] == '\t' || s[body] == '\r')) ++body;
      else if (s.compare(body, 3, "　") == 0) body += 3;
      else break;
    }
    lines.push_back({b, body, e});
    b = e + 1;
  }
  auto item_number = [&](const Line& l) -> int {
    size_t i = l.body;
    int n = 0, digits = 0;
    while (i < l.end && s[i] >= '0' && s[i] <= '9' && digits < 4) n = n * 10 + (s[i++] - '0'), ++digits;
    if (digits == 0) return 0;
    if (i < l.end && s[i] == '.') return n;
    if (s.compare(i, 3, "．") == 0) return n;
    return 0;
  };
  auto is_heading = [&](const Line& l) {
    if (l.body == l.begin && l.body < l.end) return true;  // unindented: a title line
    static const char* kMarks[] = {"一、", "二、", "三、", "四、", "五、", "六、", "(一)", "(二)", "(三)", "(四)",
                                   "(五)", "(六)", "（一）", "（二）", "（三）", "（四）", "（五）", "（六）"};
    for (const char* m : kMarks)
      if (s.compare(l.body, std::char_traits<char>::length(m), m) == 0) return true;
    return false;
  };
  int last = 0, marked = 0;
  for (size_t k = 0; k < lines.size(); ++k) {
    int n = item_number(lines[k]);
    if (n == 0) continue;
    if (n != last + 1) {
      if (n <= last) break;  // numbering starts again: the report's second copy
      continue;
    }
    last = n;
    size_t end_line = k + 1;
    while (end_line < lines.size() && item_number(lines[end_line]) == 0 && !is_heading(lines[end_line])) ++end_line;
    const size_t item_begin = lines[k].begin;
    size_t item_end = end_line < lines.size() ? lines[end_line].begin : s.size();
    while (item_end > item_begin && (s[item_end - 1] == '\n' || s[item_end - 1] == ' ' || s[item_end - 1] == '\r'))
      --item_end;
    const std::string num = std::to_string(n);
    doc.spans.push_back({"item", item_begin, item_end, {{"item", num}}});
    // Title: after "N." up to (责任单位.
    size_t t = lines[k].body + num.size();
    t += s.compare(t, 3, "．") == 0 ? 3 : 1;
    while (t < lines[k].end && s[t] == ' ') ++t;
    size_t te = lines[k].end;
    for (const char* owner : {"(责任单位", "（责任单位"}) {
      size_t at = s.find(owner, t);
      if (at != std::string::npos && at < te) te = at;
    }
    if (te > t) doc.spans.push_back({"field", t, te, {{"item", num}, {"field", "title"}}});
    // Status: after 完成情况: to the end of the item.
    size_t st = s.find("完成情况", lines[k].end);
    if (st != std::string::npos && st < item_end) {
      st += std::string("完成情况").size();
      if (s.compare(st, 1, ":") == 0) st += 1;
      else if (s.compare(st, 3, "：") == 0) st += 3;
      while (st < item_end && s[st] == ' ') ++st;
      if (item_end > st) doc.spans.push_back({"field", st, item_end, {{"item", num}, {"field", "status"}}});
    }
    ++marked;
  }
  return marked;
}

}  // namespace lode::standin
