// The lists check's options, read once per config Snapshot: the allow and
// block list of every key, the action for block hits, the reply and the
// symbol scores.
//
// Built by ReadListsConfig while a Snapshot is built (single-threaded; reads
// entry files). Immutable afterwards and shared, through a shared_ptr, by the
// check and all its per-message instances on any thread.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "entry_list.h"
#include "portcullis/check_registry.h"
#include "portcullis/check_result.h"
#include "portcullis/config_value.h"

namespace portcullis::lists {

// The things a list can name. The order is the order of symbols in results.
enum ListKey { kClient = 0, kHelo, kSender, kRecipient, kFromDomain, kKeyCount };

struct KeyInfo {
  const char* config_name;  // "from_domain": the option table
  const char* symbol_key;   // "FROM_DOMAIN": LISTS_ALLOW_FROM_DOMAIN
  EntryKind kind;
};
const KeyInfo& InfoOf(ListKey key);
std::string AllowSymbol(ListKey key);
std::string BlockSymbol(ListKey key);

// What a block hit does (option block_action).
enum class BlockAction {
  kReject,      // reject at RCPT TO (client, HELO, sender, recipient) or at
                // end of message (From domain)
  kTempfail,    // the same with a 4xx reply
  kQuarantine,  // accept but quarantine the whole message, decided at end
  kScore,       // symbols only; the policy decides on the score
};

struct ListsConfig {
  std::array<EntryList, kKeyCount> allow = MakeLists();
  std::array<EntryList, kKeyCount> block = MakeLists();
  BlockAction block_action = BlockAction::kReject;
  // allow_action = "accept": an allow hit asks for Action::kAccept at end of
  // message; "score": the allow symbol's (negative) score only.
  bool allow_accepts = true;
  // The reply for kReject/kTempfail; `reason` is filled in per hit.
  ActionRequest block_reply;
  std::array<double, kKeyCount> allow_score{};
  std::array<double, kKeyCount> block_score{};

  bool Enforces() const {
    return block_action == BlockAction::kReject || block_action == BlockAction::kTempfail;
  }
  bool HasLists(ListKey key) const { return !allow[key].empty() || !block[key].empty(); }

 private:
  static std::array<EntryList, kKeyCount> MakeLists();
};

// Reads `checks.lists`; errors (with file:line) go to `options`. Returns
// nullptr when any option or entry is bad.
std::shared_ptr<const ListsConfig> ReadListsConfig(ConfigReader& options,
                                                   const CheckContext& context);

}  // namespace portcullis::lists
