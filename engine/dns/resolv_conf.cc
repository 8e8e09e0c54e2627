#include "dns/resolv_conf.h"

#include <fstream>

namespace portcullis::dns {
namespace {

// A resolv.conf far larger than this is not a resolv.conf; stop reading.
constexpr size_t kMaxResolvConfBytes = 64 * 1024;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view NextWord(std::string_view* line) {
  size_t start = 0;
  while (start < line->size() && IsBlank((*line)[start])) ++start;
  size_t end = start;
  while (end < line->size() && !IsBlank((*line)[end])) ++end;
  std::string_view word = line->substr(start, end - start);
  line->remove_prefix(end);
  return word;
}

}  // namespace

std::vector<std::string> ParseResolvConf(std::string_view text) {
  std::vector<std::string> servers;
  while (!text.empty() && servers.size() < kMaxResolvConfServers) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    std::string_view keyword = NextWord(&line);
    if (keyword != "nameserver") continue;  // also skips '#' and ';' comments
    std::string_view address = NextWord(&line);
    if (!address.empty()) servers.emplace_back(address);
  }
  return servers;
}

std::vector<std::string> ReadResolvConfServers(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return {};
  std::string text(kMaxResolvConfBytes, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  return ParseResolvConf(text);
}

}  // namespace portcullis::dns
