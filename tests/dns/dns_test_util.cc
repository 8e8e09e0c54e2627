#include "dns_test_util.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace portcullis::dns::testing {

std::vector<uint8_t> BuildResponse(const ResponseSpec& spec) {
  ldns_rdf* qname = ldns_dname_new_frm_str(spec.qname.c_str());
  EXPECT_NE(qname, nullptr) << spec.qname;
  if (!qname) return {};
  ldns_pkt* packet = ldns_pkt_query_new(qname, spec.qtype, LDNS_RR_CLASS_IN, LDNS_RD);
  ldns_pkt_set_id(packet, spec.id);
  ldns_pkt_set_qr(packet, spec.qr);
  ldns_pkt_set_tc(packet, spec.tc);
  ldns_pkt_set_rcode(packet, static_cast<uint8_t>(spec.rcode));
  auto push = [&](const std::vector<std::string>& texts, ldns_pkt_section section) {
    for (const std::string& text : texts) {
      ldns_rr* rr = nullptr;
      ldns_status status = ldns_rr_new_frm_str(&rr, text.c_str(), 300, nullptr, nullptr);
      EXPECT_EQ(status, LDNS_STATUS_OK) << text << ": " << ldns_get_errorstr_by_id(status);
      if (rr) ldns_pkt_push_rr(packet, section, rr);
    }
  };
  push(spec.answer, LDNS_SECTION_ANSWER);
  push(spec.authority, LDNS_SECTION_AUTHORITY);
  uint8_t* bytes = nullptr;
  size_t size = 0;
  EXPECT_EQ(ldns_pkt2wire(&bytes, packet, &size), LDNS_STATUS_OK);
  std::vector<uint8_t> wire(bytes, bytes + size);
  std::free(bytes);
  ldns_pkt_free(packet);
  return wire;
}

LookupCallback Collector::Callback(int slot) {
  return [this, slot](const AnswerPtr& answer) {
    // Notified under the lock: a test may destroy the collector as soon as
    // its wait returns.
    std::lock_guard<std::mutex> lock(mutex_);
    deliveries_.push_back(
        {slot, Delivery{answer, std::this_thread::get_id(), std::chrono::steady_clock::now()}});
    arrived_.notify_all();
  };
}

bool Collector::WaitFor(size_t count, std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  return arrived_.wait_for(lock, limit, [&] { return deliveries_.size() >= count; });
}

std::vector<Delivery> Collector::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Delivery> out;
  for (auto& [slot, delivery] : deliveries_) out.push_back(delivery);
  return out;
}

std::vector<int> Collector::CallsPerSlot(int slots) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<int> calls(static_cast<size_t>(slots), 0);
  for (auto& [slot, delivery] : deliveries_) {
    if (slot >= 0 && slot < slots) ++calls[static_cast<size_t>(slot)];
  }
  return calls;
}

std::string Summary(const AnswerPtr& answer) {
  if (!answer) return "null";
  std::string text(StatusName(answer->status));
  if (!answer->error.empty()) text += " " + answer->error;
  std::string values;
  auto add = [&](const std::string& value) {
    values += values.empty() ? " " : ",";
    values += value;
  };
  for (const IpAddress& address : answer->addresses) add(address.ToString());
  for (const std::string& name : answer->names) add(name);
  for (const MxRecord& mx : answer->mx) add(std::to_string(mx.preference) + ":" + mx.exchange);
  for (const std::string& txt : answer->texts) add("\"" + txt + "\"");
  return text + values;
}

}  // namespace portcullis::dns::testing
