#include "dmarc_aggregate_xml.h"

#include <map>
#include <tuple>

#include "portcullis/transaction_info.h"

namespace portcullis::dmarc {
namespace {

// The part of a row that decides which <record> it is counted in:
// everything but the date and the published policy.
using RowKey =
    std::tuple<std::string, std::string, std::string, std::string, std::string, std::string,
               std::vector<std::tuple<std::string, std::string, std::string>>,
               std::tuple<std::string, std::string, std::string>>;

RowKey KeyOf(const ReportRecord& row) {
  std::vector<std::tuple<std::string, std::string, std::string>> dkim;
  for (const DkimAuth& auth : row.dkim) dkim.emplace_back(auth.domain, auth.selector, auth.result);
  return {row.source_ip,    row.disposition,
          row.dkim_aligned, row.spf_aligned,
          row.header_from,  row.envelope_from,
          std::move(dkim),  {row.spf.domain, row.spf.scope, row.spf.result}};
}

void Element(std::string& out, int indent, std::string_view name, std::string_view value) {
  out.append(static_cast<size_t>(indent) * 2, ' ');
  out += "<" + std::string(name) + ">" + XmlEscape(value) + "</" + std::string(name) + ">\n";
}

void Open(std::string& out, int indent, std::string_view name) {
  out.append(static_cast<size_t>(indent) * 2, ' ');
  out += "<" + std::string(name) + ">\n";
}

void Close(std::string& out, int indent, std::string_view name) {
  out.append(static_cast<size_t>(indent) * 2, ' ');
  out += "</" + std::string(name) + ">\n";
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out.push_back(c);
    }
  }
  return out;
}

std::string BuildAggregateXml(const ReportMetadata& metadata, const std::string& domain,
                              const std::vector<ReportRecord>& rows) {
  const std::string wanted = ToLower(domain);
  PublishedPolicy policy{wanted, "r", "r", "none", "none", 100};
  // std::map: records come out in a stable order (golden files, diffs).
  std::map<RowKey, uint64_t> counts;
  for (const ReportRecord& row : rows) {
    if (ToLower(row.policy.domain) != wanted) continue;
    policy = row.policy;
    ++counts[KeyOf(row)];
  }

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n";
  Open(out, 1, "report_metadata");
  Element(out, 2, "org_name", metadata.org_name);
  Element(out, 2, "email", metadata.email);
  Element(out, 2, "report_id", metadata.report_id);
  Open(out, 2, "date_range");
  Element(out, 3, "begin", std::to_string(metadata.begin));
  Element(out, 3, "end", std::to_string(metadata.end));
  Close(out, 2, "date_range");
  Close(out, 1, "report_metadata");
  Open(out, 1, "policy_published");
  Element(out, 2, "domain", policy.domain);
  Element(out, 2, "adkim", policy.adkim);
  Element(out, 2, "aspf", policy.aspf);
  Element(out, 2, "p", policy.p);
  Element(out, 2, "sp", policy.sp);
  Element(out, 2, "pct", std::to_string(policy.pct));
  Close(out, 1, "policy_published");
  for (const auto& [key, count] : counts) {
    const auto& [source_ip, disposition, dkim_aligned, spf_aligned, header_from, envelope_from,
                 dkim, spf] = key;
    Open(out, 1, "record");
    Open(out, 2, "row");
    Element(out, 3, "source_ip", source_ip);
    Element(out, 3, "count", std::to_string(count));
    Open(out, 3, "policy_evaluated");
    Element(out, 4, "disposition", disposition);
    Element(out, 4, "dkim", dkim_aligned);
    Element(out, 4, "spf", spf_aligned);
    Close(out, 3, "policy_evaluated");
    Close(out, 2, "row");
    // Appendix C IdentifierType is a sequence: envelope_to, envelope_from,
    // header_from.
    Open(out, 2, "identifiers");
    Element(out, 3, "envelope_from", envelope_from);
    Element(out, 3, "header_from", header_from);
    Close(out, 2, "identifiers");
    Open(out, 2, "auth_results");
    for (const auto& [dkim_domain, selector, result] : dkim) {
      Open(out, 3, "dkim");
      Element(out, 4, "domain", dkim_domain);
      if (!selector.empty()) Element(out, 4, "selector", selector);
      Element(out, 4, "result", result);
      Close(out, 3, "dkim");
    }
    Open(out, 3, "spf");
    Element(out, 4, "domain", std::get<0>(spf));
    Element(out, 4, "scope", std::get<1>(spf));
    Element(out, 4, "result", std::get<2>(spf));
    Close(out, 3, "spf");
    Close(out, 2, "auth_results");
    Close(out, 1, "record");
  }
  out += "</feedback>\n";
  return out;
}

}  // namespace portcullis::dmarc
