#include "greylist_allowlist.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "portcullis/transaction_info.h"

namespace portcullis::greylist {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool LooksLikeAddress(std::string_view entry) {
  if (entry.find('/') != std::string_view::npos) return true;  // a CIDR range (or a typo)
  return IpAddress::Parse(entry).has_value();
}

}  // namespace

std::vector<std::pair<int, std::string_view>> EntryLines(std::string_view text) {
  std::vector<std::pair<int, std::string_view>> lines;
  int number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || IsSpace(line[i - 1]))) {
        line = line.substr(0, i);
        break;
      }
    }
    line = Trim(line);
    if (!line.empty()) lines.emplace_back(number, line);
  }
  return lines;
}

bool ReadListFile(const std::string& path, std::string* content, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  char chunk[8192];
  size_t total = 0;
  while (file.read(chunk, sizeof chunk) || file.gcount() > 0) {
    total += static_cast<size_t>(file.gcount());
    if (total > kMaxListFileBytes) {
      *error = path + ": larger than " + std::to_string(kMaxListFileBytes >> 20) +
               " MiB; is this an entry file?";
      return false;
    }
    buffer.write(chunk, file.gcount());
  }
  if (file.bad()) {
    *error = path + ": read error";
    return false;
  }
  *content = buffer.str();
  return true;
}

std::string Allowlists::AddClient(std::string_view entry) {
  if (LooksLikeAddress(entry)) return client_ips_.Add(entry);
  if (entry.find('@') != std::string_view::npos && entry.front() != '@') {
    return "client entries are addresses, CIDR ranges or host names";
  }
  return client_names_.Add(entry);
}

std::string Allowlists::AddSender(std::string_view entry) { return senders_.Add(entry); }

std::string Allowlists::AddRecipient(std::string_view entry) {
  for (char c : entry) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7f || c == '<' || c == '>') {
      return "invalid character in a recipient entry";
    }
  }
  const size_t at = entry.find('@');
  if (at != std::string_view::npos &&
      (entry.find('@', at + 1) != std::string_view::npos || at + 1 == entry.size())) {
    return "expected 'local', 'local@domain' or '@domain'";
  }
  recipients_.insert(ToLower(entry));
  return "";
}

void Allowlists::Build() {
  client_ips_.Build();
  client_names_.Build();
  senders_.Build();
}

bool Allowlists::MatchesClient(const std::optional<IpAddress>& address,
                               std::string_view client_name) const {
  if (address && client_ips_.MatchesClient(*address)) return true;
  // "unknown" is what Postfix reports when the reverse name did not verify;
  // a bracketed literal is what Sendmail reports. Neither is a name.
  if (client_name.empty() || client_name == "unknown" || client_name.front() == '[') return false;
  return client_names_.MatchesDomain(client_name);
}

bool Allowlists::MatchesSender(std::string_view sender) const {
  if (sender.empty() || sender == "<>") return false;
  return senders_.MatchesAddress(sender);
}

bool Allowlists::MatchesRecipient(std::string_view recipient) const {
  if (recipients_.empty()) return false;
  const size_t at = recipient.rfind('@');
  if (recipients_.count(recipient)) return true;
  if (at == std::string_view::npos) return false;
  return recipients_.count(recipient.substr(at)) > 0 ||   // "@domain"
         recipients_.count(recipient.substr(0, at)) > 0;  // "local"
}

}  // namespace portcullis::greylist
