// Helpers for the dkim tests: test data paths, key records loaded into a
// FakeResolver, SHA-256 and base64 for expected values. Test-only.
#pragma once

#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "fake_resolver.h"

namespace portcullis::dkim::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string RfcData(const std::string& name) {
  return std::string(PORTCULLIS_DKIM_RFC_DATA) + "/" + name;
}
inline std::string PluginData(const std::string& name) {
  return std::string(PORTCULLIS_DKIM_TEST_DATA) + "/" + name;
}

// Loads "NAME TXT-TEXT" lines.
inline void LoadKeys(portcullis::testing::FakeResolver& resolver, const std::string& path) {
  std::istringstream lines(ReadFile(path));
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.find(' ');
    if (line.empty() || space == std::string::npos) continue;
    resolver.AddTxt(line.substr(0, space), {line.substr(space + 1)});
  }
}

inline std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

inline std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace portcullis::dkim::testing
