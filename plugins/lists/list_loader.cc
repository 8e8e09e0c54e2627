#include "list_loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace portcullis::lists {
namespace {

// Bad entries are quoted in error messages; keep them short and printable.
constexpr size_t kMaxQuotedEntry = 80;

std::string Quote(std::string_view entry) {
  std::string quoted = "'";
  for (char c : entry.substr(0, kMaxQuotedEntry)) {
    quoted += (static_cast<unsigned char>(c) < ' ' || c == 0x7f) ? '?' : c;
  }
  if (entry.size() > kMaxQuotedEntry) quoted += "...";
  return quoted + "'";
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// The entry on one file line, without comment and surrounding whitespace.
std::string_view EntryOfLine(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || IsSpace(line[i - 1]))) {
      line = line.substr(0, i);
      break;
    }
  }
  return Trim(line);
}

// Collects errors of one source, keeping the first kMaxErrorsPerSource.
class ErrorSink {
 public:
  explicit ErrorSink(std::vector<std::string>* errors) : errors_(errors) {}
  ~ErrorSink() {
    if (dropped_ > 0) {
      errors_->push_back(prefix_ + std::to_string(dropped_) + " more bad entries not shown");
    }
  }
  void Add(std::string message) {
    if (count_++ < kMaxErrorsPerSource) {
      errors_->push_back(std::move(message));
    } else {
      ++dropped_;
    }
  }
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }
  bool any() const { return count_ > 0; }

 private:
  std::vector<std::string>* errors_;
  std::string prefix_;
  int count_ = 0;
  int dropped_ = 0;
};

}  // namespace

std::string ResolvePath(const std::string& config_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || config_dir.empty()) return path;
  return config_dir.back() == '/' ? config_dir + path : config_dir + "/" + path;
}

bool LoadEntryFile(const std::string& path, EntryList* list, std::vector<std::string>* errors) {
  std::ifstream file(path);
  if (!file) {
    errors->push_back(path + ": cannot open: " + std::strerror(errno));
    return false;
  }
  ErrorSink sink(errors);
  sink.set_prefix(path + ": ");
  std::string line;
  int line_number = 0;
  while (std::getline(file, line)) {
    ++line_number;
    const std::string where = path + ":" + std::to_string(line_number) + ": ";
    if (line.size() > kMaxLineBytes) {
      sink.Add(where + "line longer than " + std::to_string(kMaxLineBytes) +
               " bytes; is this an entry file?");
      break;
    }
    std::string_view entry = EntryOfLine(line);
    if (entry.empty()) continue;
    std::string error = list->Add(entry);
    if (!error.empty()) sink.Add(where + Quote(entry) + ": " + error);
  }
  if (file.bad()) sink.Add(path + ": read error: " + std::strerror(errno));
  return !sink.any();
}

bool LoadEntries(ConfigReader& table, const std::string& polarity, const std::string& config_dir,
                 EntryList* list) {
  bool ok = true;
  // Inline entries: a string or a list of strings.
  if (const ConfigValue* value = table.Raw(polarity)) {
    std::vector<const ConfigValue*> items;
    if (value->type == ConfigValue::Type::kString) {
      items.push_back(value);
    } else if (value->type == ConfigValue::Type::kTable && value->fields.empty()) {
      for (const ConfigValue& item : value->items) items.push_back(&item);
    } else {
      table.Error(polarity, "expected a string or a list of strings");
      ok = false;
    }
    std::vector<std::string> errors;
    {
      ErrorSink sink(&errors);
      for (size_t i = 0; i < items.size(); ++i) {
        const std::string where =
            "item " + std::to_string(i + 1) +
            (items[i]->line > 0 ? " (line " + std::to_string(items[i]->line) + ")" : "") + ": ";
        if (items[i]->type != ConfigValue::Type::kString) {
          sink.Add(where + "expected a string");
          continue;
        }
        std::string_view entry = Trim(items[i]->string);
        std::string error = entry.empty() ? "empty entry" : list->Add(entry);
        if (!error.empty()) sink.Add(where + Quote(entry) + ": " + error);
      }
    }
    for (const std::string& error : errors) table.Error(polarity, error);
    ok = ok && errors.empty();
  }
  const std::string files_key = polarity + "_files";
  for (const std::string& path : table.StringList(files_key)) {
    std::vector<std::string> errors;
    LoadEntryFile(ResolvePath(config_dir, path), list, &errors);
    for (const std::string& error : errors) table.Error(files_key, error);
    ok = ok && errors.empty();
  }
  return ok;
}

}  // namespace portcullis::lists
