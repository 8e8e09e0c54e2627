#include <cmath>

#include "portcullis/config_value.h"

namespace portcullis {

std::string_view ConfigValue::TypeName(Type type) {
  switch (type) {
    case Type::kNil: return "nil";
    case Type::kBoolean: return "boolean";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kTable: return "table";
  }
  return "nil";
}

void ConfigErrors::Add(const std::string& file, int line, const std::string& message) {
  errors_.push_back(file + ":" + std::to_string(line) + ": " + message);
}

ConfigReader::ConfigReader(const ConfigValue* table, std::string path, std::string file,
                           ConfigErrors* errors)
    : table_(table), path_(std::move(path)), file_(std::move(file)), errors_(errors) {
  if (table_ && table_->type != ConfigValue::Type::kTable) {
    errors_->Add(file_, table_->line,
                 "'" + path_ + "' must be a table, got " +
                     std::string(ConfigValue::TypeName(table_->type)));
    table_ = nullptr;
  }
}

ConfigReader::ConfigReader(ConfigReader&& other) noexcept
    : table_(other.table_),
      path_(std::move(other.path_)),
      file_(std::move(other.file_)),
      errors_(other.errors_),
      used_(std::move(other.used_)) {
  other.table_ = nullptr;
}

ConfigReader::~ConfigReader() {
  if (!table_ || !errors_) return;
  for (const auto& [key, value] : table_->fields) {
    if (!used_.contains(key)) {
      errors_->Add(file_, value.line, "unknown option '" + KeyPath(key) + "'");
    }
  }
  if (!table_->items.empty() && !used_.contains("")) {
    errors_->Add(file_, table_->items.front().line,
                 "'" + path_ + "' takes named options, not a list");
  }
}

std::string ConfigReader::KeyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

int ConfigReader::LineOf(std::string_view key) const {
  if (!table_) return 0;
  auto it = table_->fields.find(key);
  if (it != table_->fields.end()) return it->second.line;
  return table_->line;
}

bool ConfigReader::Has(std::string_view key) const {
  return table_ && table_->fields.find(key) != table_->fields.end();
}

void ConfigReader::Error(std::string_view key, const std::string& message) {
  errors_->Add(file_, LineOf(key), KeyPath(key) + ": " + message);
}

const ConfigValue* ConfigReader::Lookup(std::string_view key, ConfigValue::Type want) {
  if (!table_) return nullptr;
  auto it = table_->fields.find(key);
  if (it == table_->fields.end()) return nullptr;
  used_.insert(std::string(key));
  if (it->second.type != want) {
    Error(key, "expected " + std::string(ConfigValue::TypeName(want)) + ", got " +
                   std::string(ConfigValue::TypeName(it->second.type)));
    return nullptr;
  }
  return &it->second;
}

const ConfigValue* ConfigReader::Raw(std::string_view key) {
  if (!table_) return nullptr;
  auto it = table_->fields.find(key);
  if (it == table_->fields.end()) return nullptr;
  used_.insert(std::string(key));
  return &it->second;
}

std::string ConfigReader::String(std::string_view key, std::string default_value) {
  const ConfigValue* value = Lookup(key, ConfigValue::Type::kString);
  return value ? value->string : default_value;
}

bool ConfigReader::Boolean(std::string_view key, bool default_value) {
  const ConfigValue* value = Lookup(key, ConfigValue::Type::kBoolean);
  return value ? value->boolean : default_value;
}

double ConfigReader::Number(std::string_view key, double default_value, double min,
                            double max) {
  const ConfigValue* value = Lookup(key, ConfigValue::Type::kNumber);
  if (!value) return default_value;
  if (!(value->number >= min && value->number <= max)) {
    Error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return default_value;
  }
  return value->number;
}

int64_t ConfigReader::Integer(std::string_view key, int64_t default_value, int64_t min,
                              int64_t max) {
  const ConfigValue* value = Lookup(key, ConfigValue::Type::kNumber);
  if (!value) return default_value;
  if (value->number != std::floor(value->number)) {
    Error(key, "must be a whole number");
    return default_value;
  }
  if (value->number < static_cast<double>(min) || value->number > static_cast<double>(max)) {
    Error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return default_value;
  }
  return static_cast<int64_t>(value->number);
}

std::vector<std::string> ConfigReader::StringList(std::string_view key) {
  const ConfigValue* value = Raw(key);
  if (!value) return {};
  if (value->type == ConfigValue::Type::kString) return {value->string};
  if (value->type != ConfigValue::Type::kTable || !value->fields.empty()) {
    Error(key, "expected a string or a list of strings");
    return {};
  }
  std::vector<std::string> list;
  for (const ConfigValue& item : value->items) {
    if (item.type != ConfigValue::Type::kString) {
      errors_->Add(file_, item.line, KeyPath(key) + ": list items must be strings");
      continue;
    }
    list.push_back(item.string);
  }
  return list;
}

ConfigReader ConfigReader::Table(std::string_view key) {
  const ConfigValue* value = Raw(key);
  return ConfigReader(value, KeyPath(key), file_, errors_);
}

std::map<std::string, double> ConfigReader::NumberMap(std::string_view key) {
  std::map<std::string, double> map;
  const ConfigValue* value = Raw(key);
  if (!value) return map;
  if (value->type != ConfigValue::Type::kTable || !value->items.empty()) {
    Error(key, "expected a table of name = number");
    return map;
  }
  for (const auto& [name, item] : value->fields) {
    if (item.type != ConfigValue::Type::kNumber) {
      errors_->Add(file_, item.line, KeyPath(key) + "." + name + ": expected number");
      continue;
    }
    map[name] = item.number;
  }
  return map;
}

std::string ConfigReader::Choice(std::string_view key, std::string default_value,
                                 const std::vector<std::string>& allowed) {
  std::string value = String(key, default_value);
  for (const std::string& option : allowed) {
    if (option == value) return value;
  }
  std::string list;
  for (const std::string& option : allowed) list += (list.empty() ? "" : ", ") + option;
  Error(key, "'" + value + "' is not one of: " + list);
  return default_value;
}

}  // namespace portcullis
