#include "dmarc_report_json.h"

#include <map>
#include <memory>

namespace portcullis::dmarc {
namespace {

// Our own lines nest three levels (record > dkim array > signature); a
// deeper line is not ours.
constexpr int kMaxDepth = 4;

void AppendString(std::string& out, std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte == 0x7F) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  if (out.back() != '{') out.push_back(',');
  AppendString(out, key);
  out.push_back(':');
  AppendString(out, value);
}

// A minimal JSON value for reading our own lines back: objects, arrays,
// strings and non-negative integers only.
struct Json {
  enum class Type { kString, kNumber, kObject, kArray } type = Type::kString;
  std::string text;
  int64_t number = 0;
  std::map<std::string, Json, std::less<>> fields;
  std::vector<Json> items;

  const Json* Field(std::string_view key) const {
    auto it = fields.find(key);
    return it == fields.end() ? nullptr : &it->second;
  }
  std::string String(std::string_view key) const {
    const Json* value = Field(key);
    return value && value->type == Type::kString ? value->text : "";
  }
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool ParseValue(Json& value, int depth) {
    if (depth > kMaxDepth || pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '"') {
      value.type = Json::Type::kString;
      return ParseString(value.text);
    }
    if (c >= '0' && c <= '9') {
      value.type = Json::Type::kNumber;
      size_t digits = 0;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        if (++digits > 18) return false;  // no overflow; our numbers are small
        value.number = value.number * 10 + (text_[pos_++] - '0');
      }
      return true;
    }
    if (c == '[') {
      value.type = Json::Type::kArray;
      ++pos_;
      if (Peek(']')) return true;
      do {
        value.items.emplace_back();
        if (!ParseValue(value.items.back(), depth + 1)) return false;
      } while (Peek(','));
      return Peek(']');
    }
    if (c == '{') {
      value.type = Json::Type::kObject;
      ++pos_;
      if (Peek('}')) return true;
      do {
        std::string key;
        if (pos_ >= text_.size() || text_[pos_] != '"' || !ParseString(key) || !Peek(':'))
          return false;
        if (!ParseValue(value.fields[key], depth + 1)) return false;
      } while (Peek(','));
      return Peek('}');
    }
    return false;
  }

  bool AtEnd() {
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    return pos_ == text_.size();
  }

 private:
  bool Peek(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Only the escapes AppendString writes, plus \u00XX of any byte.
  bool ParseString(std::string& out) {
    ++pos_;  // the opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char escape = text_[pos_++];
      if (escape == '"' || escape == '\\' || escape == '/') {
        out.push_back(escape);
      } else if (escape == 'u') {
        if (pos_ + 4 > text_.size() || text_.substr(pos_, 2) != "00") return false;
        const int high = HexValue(text_[pos_ + 2]);
        const int low = HexValue(text_[pos_ + 3]);
        if (high < 0 || low < 0) return false;
        out.push_back(static_cast<char>(high * 16 + low));
        pos_ += 4;
      } else {
        return false;
      }
    }
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string RecordToJsonLine(const ReportRecord& record) {
  std::string out = "{\"v\":1";
  AppendField(out, "date", record.date);
  AppendField(out, "source_ip", record.source_ip);
  AppendField(out, "header_from", record.header_from);
  AppendField(out, "envelope_from", record.envelope_from);
  out += ",\"policy_published\":{";
  AppendField(out, "domain", record.policy.domain);
  AppendField(out, "adkim", record.policy.adkim);
  AppendField(out, "aspf", record.policy.aspf);
  AppendField(out, "p", record.policy.p);
  AppendField(out, "sp", record.policy.sp);
  out += ",\"pct\":" + std::to_string(record.policy.pct) + "}";
  AppendField(out, "disposition", record.disposition);
  AppendField(out, "dkim_aligned", record.dkim_aligned);
  AppendField(out, "spf_aligned", record.spf_aligned);
  out += ",\"dkim\":[";
  for (size_t i = 0; i < record.dkim.size(); ++i) {
    out += i ? ",{" : "{";
    AppendField(out, "domain", record.dkim[i].domain);
    AppendField(out, "selector", record.dkim[i].selector);
    AppendField(out, "result", record.dkim[i].result);
    out.push_back('}');
  }
  out += "],\"spf\":{";
  AppendField(out, "domain", record.spf.domain);
  AppendField(out, "scope", record.spf.scope);
  AppendField(out, "result", record.spf.result);
  out += "}}\n";
  return out;
}

std::optional<ReportRecord> RecordFromJsonLine(std::string_view line) {
  Parser parser(line);
  Json root;
  if (!parser.ParseValue(root, 0) || !parser.AtEnd()) return std::nullopt;
  if (root.type != Json::Type::kObject) return std::nullopt;
  const Json* version = root.Field("v");
  if (!version || version->type != Json::Type::kNumber || version->number != 1) return std::nullopt;
  const Json* policy = root.Field("policy_published");
  const Json* dkim = root.Field("dkim");
  const Json* spf = root.Field("spf");
  if (!policy || policy->type != Json::Type::kObject || !dkim || dkim->type != Json::Type::kArray ||
      !spf || spf->type != Json::Type::kObject) {
    return std::nullopt;
  }
  ReportRecord record;
  record.date = root.String("date");
  record.source_ip = root.String("source_ip");
  record.header_from = root.String("header_from");
  record.envelope_from = root.String("envelope_from");
  record.policy.domain = policy->String("domain");
  record.policy.adkim = policy->String("adkim");
  record.policy.aspf = policy->String("aspf");
  record.policy.p = policy->String("p");
  record.policy.sp = policy->String("sp");
  const Json* pct = policy->Field("pct");
  if (!pct || pct->type != Json::Type::kNumber || pct->number > 100) return std::nullopt;
  record.policy.pct = static_cast<int>(pct->number);
  record.disposition = root.String("disposition");
  record.dkim_aligned = root.String("dkim_aligned");
  record.spf_aligned = root.String("spf_aligned");
  for (const Json& item : dkim->items) {
    if (item.type != Json::Type::kObject) return std::nullopt;
    record.dkim.push_back({item.String("domain"), item.String("selector"), item.String("result")});
  }
  record.spf = {spf->String("domain"), spf->String("scope"), spf->String("result")};
  if (record.date.empty() || record.policy.domain.empty()) return std::nullopt;
  return record;
}

}  // namespace portcullis::dmarc
