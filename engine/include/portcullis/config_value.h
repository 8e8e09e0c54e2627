// The configuration as a tree of plain values, converted once from the Lua
// config file, and the reader checks use to take their options from it.
//
// A ConfigValue tree is immutable once built and shared by the Snapshot that
// owns it. A ConfigReader is a short-lived, single-threaded cursor used while
// a Snapshot is being built: it records which keys were read so that unknown
// keys and wrong types become errors with file:line, never silently ignored.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

struct ConfigValue {
  enum class Type { kNil, kBoolean, kNumber, kString, kTable };
  Type type = Type::kNil;
  bool boolean = false;
  double number = 0;
  std::string string;
  // Tables: string keys in `fields`, the array part (1..n) in `items`.
  std::map<std::string, ConfigValue, std::less<>> fields;
  std::vector<ConfigValue> items;
  int line = 0;  // best-known source line, 0 when unknown

  static std::string_view TypeName(Type type);
};

// Errors collected while reading a config; each one is "file:line: message".
class ConfigErrors {
 public:
  void Add(const std::string& file, int line, const std::string& message);
  // For messages that already name their place (Lua's own "file:line: ...").
  void AddFormatted(const std::string& message) { errors_.push_back(message); }
  bool empty() const { return errors_.empty(); }
  const std::vector<std::string>& all() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

class ConfigReader {
 public:
  // `table` may be null (the section is absent): every getter then returns
  // its default. `path` is the dotted key path used in messages.
  ConfigReader(const ConfigValue* table, std::string path, std::string file,
               ConfigErrors* errors);
  // A moved-from reader reports nothing; the new one owns the unknown-key
  // check.
  ConfigReader(ConfigReader&& other) noexcept;
  ConfigReader& operator=(ConfigReader&&) = delete;
  // Reports keys present in the table but never asked for.
  ~ConfigReader();

  bool Has(std::string_view key) const;
  std::string String(std::string_view key, std::string default_value);
  bool Boolean(std::string_view key, bool default_value);
  double Number(std::string_view key, double default_value, double min,
                double max);
  int64_t Integer(std::string_view key, int64_t default_value, int64_t min,
                  int64_t max);
  // A string or a table of strings; absent gives an empty list.
  std::vector<std::string> StringList(std::string_view key);
  // A nested table; absent gives a reader over nothing.
  ConfigReader Table(std::string_view key);
  // A table whose keys are free-form (e.g. symbol -> score); values are
  // numbers. Marks the key read.
  std::map<std::string, double> NumberMap(std::string_view key);
  // The raw value, for callers with their own shape; marks it read.
  const ConfigValue* Raw(std::string_view key);
  // An action name ("reject", "tempfail", ...) checked against `allowed`.
  std::string Choice(std::string_view key, std::string default_value,
                     const std::vector<std::string>& allowed);

  // Report a problem with a specific key's value.
  void Error(std::string_view key, const std::string& message);
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  int LineOf(std::string_view key) const;

 private:
  const ConfigValue* Lookup(std::string_view key, ConfigValue::Type want);
  std::string KeyPath(std::string_view key) const;

  const ConfigValue* table_;
  std::string path_;
  std::string file_;
  ConfigErrors* errors_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace portcullis
