#include "zone_store.h"

#include <cstdio>
#include <cstdlib>

namespace portcullis::testing::dns_server {

namespace {

struct RdfDeleter {
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};
using RdfPtr = std::unique_ptr<ldns_rdf, RdfDeleter>;

RdfPtr CanonicalClone(const ldns_rdf* dname) {
  RdfPtr copy(ldns_rdf_clone(dname));
  ldns_dname2canonical(copy.get());
  return copy;
}

// Clone of `rr`, with its owner replaced by `owner` when given (wildcard
// synthesis, RFC 4592 3.3.1: the owner of a synthesised record is the QNAME).
RrPtr CloneRr(const ldns_rr* rr, const ldns_rdf* owner) {
  RrPtr copy(ldns_rr_clone(rr));
  if (owner != nullptr) {
    ldns_rdf_deep_free(ldns_rr_owner(copy.get()));
    ldns_rr_set_owner(copy.get(), ldns_rdf_clone(owner));
  }
  return copy;
}

// "*." in front of an encloser key ("." for the root).
std::string WildcardKey(const std::string& encloser) {
  return encloser == "." ? std::string("*.") : "*." + encloser;
}

}  // namespace

std::string NameKey(const ldns_rdf* dname) {
  RdfPtr copy = CanonicalClone(dname);
  char* text = ldns_rdf2str(copy.get());
  std::string key = text != nullptr ? text : "";
  free(text);
  return key;
}

ZoneStore::~ZoneStore() {
  for (auto& zone : zones_) {
    ldns_zone_deep_free(zone->data);
    ldns_rdf_deep_free(zone->origin_dname);
  }
}

std::string ZoneStore::Load(const std::string& path) {
  FILE* fp = fopen(path.c_str(), "r");
  if (fp == nullptr) return path + ": cannot open";
  auto zone = std::make_unique<Zone>();
  int line = 0;
  const ldns_status status =
      ldns_zone_new_frm_fp_l(&zone->data, fp, nullptr, 3600, LDNS_RR_CLASS_IN, &line);
  fclose(fp);
  if (status != LDNS_STATUS_OK) {
    return path + ":" + std::to_string(line) + ": " + ldns_get_errorstr_by_id(status);
  }
  zone->soa = ldns_zone_soa(zone->data);
  if (zone->soa == nullptr) {
    ldns_zone_deep_free(zone->data);
    return path + ": no SOA record (the zone apex needs one)";
  }
  const ldns_rdf* origin = ldns_rr_owner(zone->soa);
  zone->origin = NameKey(origin);
  zone->origin_labels = ldns_dname_label_count(origin);
  for (const auto& other : zones_) {
    if (other->origin == zone->origin) {
      ldns_zone_deep_free(zone->data);
      return path + ": zone " + zone->origin + " is already loaded";
    }
  }

  RdfPtr canonical_origin = CanonicalClone(origin);
  auto add = [&](const ldns_rr* rr) -> std::string {
    RdfPtr owner = CanonicalClone(ldns_rr_owner(rr));
    if (ldns_dname_compare(owner.get(), canonical_origin.get()) != 0 &&
        !ldns_dname_is_subdomain(owner.get(), canonical_origin.get())) {
      return path + ": record owner " + NameKey(owner.get()) + " is outside zone " + zone->origin;
    }
    Node& node = zone->nodes[NameKey(owner.get())];
    node.rrsets[ldns_rr_get_type(rr)].push_back(rr);
    node.all.push_back(rr);
    // Every ancestor up to the apex exists (RFC 4592 2.2.2: empty
    // non-terminals); bounded by the label count of a name (<= 127).
    RdfPtr parent(ldns_dname_left_chop(owner.get()));
    while (parent != nullptr && ldns_dname_label_count(parent.get()) > zone->origin_labels) {
      zone->empty_nonterminals.insert(NameKey(parent.get()));
      parent.reset(ldns_dname_left_chop(parent.get()));
    }
    return "";
  };
  std::string err = add(zone->soa);
  const ldns_rr_list* rrs = ldns_zone_rrs(zone->data);
  for (size_t i = 0; err.empty() && i < ldns_rr_list_rr_count(rrs); ++i) {
    err = add(ldns_rr_list_rr(rrs, i));
  }
  if (!err.empty()) {
    ldns_zone_deep_free(zone->data);
    return err;
  }
  zone->origin_dname = canonical_origin.release();
  zones_.push_back(std::move(zone));
  return "";
}

const ZoneStore::Zone* ZoneStore::FindZone(const ldns_rdf* name) const {
  const Zone* best = nullptr;
  for (const auto& zone : zones_) {
    const ldns_rdf* origin = zone->origin_dname;
    if (ldns_dname_compare(name, origin) == 0 || ldns_dname_is_subdomain(name, origin)) {
      if (best == nullptr || zone->origin_labels > best->origin_labels) best = zone.get();
    }
  }
  return best;
}

const ZoneStore::Node* ZoneStore::FindNode(const Zone& zone, const ldns_rdf* name, bool* exists,
                                           bool* synthesized) const {
  *synthesized = false;
  const std::string key = NameKey(name);
  if (auto it = zone.nodes.find(key); it != zone.nodes.end()) {
    *exists = true;
    return &it->second;
  }
  if (zone.empty_nonterminals.contains(key)) {
    *exists = true;
    return nullptr;
  }
  // RFC 4592 3.3.1: find the closest encloser (the longest existing
  // ancestor); the wildcard applies when "*.<closest encloser>" exists.
  *exists = false;
  RdfPtr ancestor(ldns_dname_left_chop(name));
  while (ancestor != nullptr && ldns_dname_label_count(ancestor.get()) >= zone.origin_labels) {
    const std::string ancestor_key = NameKey(ancestor.get());
    if (zone.nodes.contains(ancestor_key) || zone.empty_nonterminals.contains(ancestor_key)) {
      auto wild = zone.nodes.find(WildcardKey(ancestor_key));
      if (wild == zone.nodes.end()) return nullptr;
      *exists = true;
      *synthesized = true;
      return &wild->second;
    }
    ancestor.reset(ldns_dname_left_chop(ancestor.get()));
  }
  return nullptr;
}

RrPtr ZoneStore::NegativeSoa(const Zone& zone) const {
  // RFC 2308 3: the negative-caching TTL is min(SOA TTL, SOA MINIMUM).
  RrPtr soa(ldns_rr_clone(zone.soa));
  const ldns_rdf* minimum = ldns_rr_rdf(soa.get(), 6);
  if (minimum != nullptr) {
    const uint32_t min_ttl = ldns_rdf2native_int32(minimum);
    if (min_ttl < ldns_rr_ttl(soa.get())) ldns_rr_set_ttl(soa.get(), min_ttl);
  }
  return soa;
}

Resolution ZoneStore::Resolve(const ldns_rdf* qname, ldns_rr_type qtype) const {
  Resolution res;
  RdfPtr name = CanonicalClone(qname);
  const Zone* zone = FindZone(name.get());
  if (zone == nullptr) return res;
  res.in_zone = true;
  // RFC 1034 4.3.2 step 3: follow CNAMEs, restarting the lookup at the
  // target, for at most kMaxCnameHops hops.
  for (int hop = 0;; ++hop) {
    bool exists = false;
    bool synthesized = false;
    const Node* node = FindNode(*zone, name.get(), &exists, &synthesized);
    if (!exists) {
      res.rcode = LDNS_RCODE_NXDOMAIN;
      res.soa = NegativeSoa(*zone);
      return res;
    }
    const ldns_rdf* owner = synthesized ? name.get() : nullptr;
    if (node != nullptr && qtype == LDNS_RR_TYPE_ANY) {
      for (const ldns_rr* rr : node->all) res.answer.push_back(CloneRr(rr, owner));
      return res;
    }
    if (node != nullptr) {
      if (auto it = node->rrsets.find(qtype); it != node->rrsets.end()) {
        for (const ldns_rr* rr : it->second) res.answer.push_back(CloneRr(rr, owner));
        return res;
      }
      auto cname = node->rrsets.find(LDNS_RR_TYPE_CNAME);
      if (cname != node->rrsets.end() && !cname->second.empty()) {
        const ldns_rr* rr = cname->second.front();
        res.answer.push_back(CloneRr(rr, owner));
        const ldns_rdf* target = ldns_rr_rdf(rr, 0);
        if (target == nullptr || hop + 1 >= kMaxCnameHops) return res;
        name = CanonicalClone(target);
        const Zone* next = FindZone(name.get());
        // A target outside our data: the resolver must chase it elsewhere.
        if (next == nullptr) return res;
        zone = next;
        continue;
      }
    }
    // NODATA (RFC 2308 2.2): the name exists, the type does not.
    res.soa = NegativeSoa(*zone);
    return res;
  }
}

}  // namespace portcullis::testing::dns_server
