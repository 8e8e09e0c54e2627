// The authoritative data of the test DNS server: zone files parsed by ldns,
// indexed by owner name, and the lookup that turns a question into answer
// records and an RCODE (RFC 1034 4.3.2, simplified: no referrals, no DNAME).
//
// Built once at startup (Load per file) and read-only afterwards. Owns the
// ldns_zone objects; Resolve() returns owned clones, so a Resolution outlives
// nothing it points into. Single-threaded use only (the server has one thread).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

// After the standard headers: ldns/common.h redefines _Bool/bool, which
// breaks <optional> and friends when they come later.
#include <ldns/ldns.h>

namespace portcullis::testing::dns_server {

struct RrDeleter {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
using RrPtr = std::unique_ptr<ldns_rr, RrDeleter>;

// RFC 1034 3.6.2 asks resolvers to bound CNAME chains; we stop after this
// many hops so that a CNAME loop in a test zone still yields an answer.
inline constexpr int kMaxCnameHops = 16;

struct Resolution {
  bool in_zone = false;  // false: no loaded zone holds the name (REFUSED)
  ldns_pkt_rcode rcode = LDNS_RCODE_NOERROR;
  std::vector<RrPtr> answer;
  RrPtr soa;  // authority SOA for NXDOMAIN/NODATA (RFC 2308 3)
};

class ZoneStore {
 public:
  ZoneStore() = default;
  ~ZoneStore();
  ZoneStore(const ZoneStore&) = delete;
  ZoneStore& operator=(const ZoneStore&) = delete;

  // Parses one master file. Returns an error message naming the file and the
  // line ldns stopped at, empty on success.
  std::string Load(const std::string& path);

  Resolution Resolve(const ldns_rdf* qname, ldns_rr_type qtype) const;

 private:
  struct Node {
    std::unordered_map<ldns_rr_type, std::vector<const ldns_rr*>> rrsets;
    std::vector<const ldns_rr*> all;  // every record in file order (for ANY)
  };
  struct Zone {
    std::string origin;                // canonical key, e.g. "example.test."
    ldns_rdf* origin_dname = nullptr;  // canonical; owned
    size_t origin_labels = 0;
    ldns_zone* data = nullptr;  // owns every record below
    const ldns_rr* soa = nullptr;
    std::unordered_map<std::string, Node> nodes;  // by canonical key
    std::unordered_set<std::string> empty_nonterminals;
  };

  const Zone* FindZone(const ldns_rdf* name) const;
  // The node answering `name` (exact or wildcard-synthesised); sets
  // *exists when the name exists at all (as a node or an empty non-terminal).
  const Node* FindNode(const Zone& zone, const ldns_rdf* name, bool* exists,
                       bool* synthesized) const;
  RrPtr NegativeSoa(const Zone& zone) const;

  std::vector<std::unique_ptr<Zone>> zones_;
};

// Canonical (lower-case, absolute) presentation form: "www.example.test.".
std::string NameKey(const ldns_rdf* dname);

}  // namespace portcullis::testing::dns_server
