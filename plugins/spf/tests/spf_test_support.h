// Helpers for the spf tests: zone data for the FakeResolver written as a
// table of records, and one-call evaluations. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fake_resolver.h"
#include "spf_evaluator.h"

namespace portcullis::spf::testing {

// One resource record: type "TXT", "A", "AAAA", "MX" ("10 mx.example.com"),
// "PTR", or a forced status "TEMPFAIL" / "NXDOMAIN" / "NODATA" / "SERVFAIL"
// with the record type in `data` ("TXT"), or "HANG" (never answered).
struct Rr {
  std::string type;
  std::string name;
  std::string data;
};
using Zone = std::vector<Rr>;

inline dns::RecordType TypeNamed(const std::string& name) {
  if (name == "A") return dns::RecordType::kA;
  if (name == "AAAA") return dns::RecordType::kAaaa;
  if (name == "MX") return dns::RecordType::kMx;
  if (name == "PTR") return dns::RecordType::kPtr;
  return dns::RecordType::kTxt;
}

// Loads `zone` into `resolver`; records of one (name, type) accumulate.
inline void LoadZone(portcullis::testing::FakeResolver& resolver, const Zone& zone) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> sets;
  std::vector<std::pair<std::string, std::string>> order;
  for (const Rr& rr : zone) {
    auto key = std::make_pair(rr.name, rr.type);
    if (!sets.count(key)) order.push_back(key);
    sets[key].push_back(rr.data);
  }
  for (const auto& key : order) {
    const auto& [name, type] = key;
    const std::vector<std::string>& data = sets[key];
    if (type == "TXT") {
      resolver.AddTxt(name, data);
    } else if (type == "A") {
      resolver.AddA(name, data);
    } else if (type == "AAAA") {
      resolver.AddAaaa(name, data);
    } else if (type == "PTR") {
      resolver.AddPtr(name, data);
    } else if (type == "MX") {
      std::vector<dns::MxRecord> mx;
      for (const std::string& text : data) {
        const size_t space = text.find(' ');
        mx.push_back(
            {static_cast<uint16_t>(std::stoi(text.substr(0, space))), text.substr(space + 1)});
      }
      resolver.AddMx(name, mx);
    } else if (type == "HANG") {
      for (const std::string& rtype : data) resolver.SetUnanswered(name, TypeNamed(rtype));
    } else {
      dns::Status status = dns::Status::kTempError;
      if (type == "NXDOMAIN") status = dns::Status::kNxDomain;
      if (type == "NODATA") status = dns::Status::kNoData;
      for (const std::string& rtype : data) {
        resolver.SetStatus(name, TypeNamed(rtype), status,
                           type == "SERVFAIL" ? "SERVFAIL" : "timeout");
      }
    }
  }
}

inline IpAddress Ip(const std::string& text) {
  auto ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip) << text;
  return ip.value_or(IpAddress());
}

// check_host() for MAIL FROM `sender` (HELO identity when empty).
inline SpfOutcome Evaluate(dns::Resolver& resolver, const std::string& ip,
                           const std::string& sender, const std::string& helo = "mail.example.net",
                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  EvaluationOptions options;
  options.deadline = Deadline::After(timeout);
  options.now = 1700000000;
  CheckHostRequest request = MailFromRequest(Ip(ip), sender, helo);
  request.receiver = "mx.receiver.example";
  return CheckHostAndWait(resolver, std::move(request), options);
}

}  // namespace portcullis::spf::testing
