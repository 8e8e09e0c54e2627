// The "lists" check: local allow and block lists for the client address,
// HELO name, envelope sender, recipients and From header domain.
//
// Semantics (see docs in lists_config.h for the options):
// - Client, HELO and sender blocks are applied at RCPT TO, per recipient, so
//   that an allowlisted recipient (postmaster@, abuse@) still gets mail from
//   a blocked client: a recipient is rejected when client, HELO or sender is
//   blocked and none of client, HELO, sender or that recipient is allowed.
// - A blocked recipient is rejected at RCPT TO unless client, HELO or sender
//   is allowed. An entry in both lists of one key counts as allowed.
// - The From domain is known only after the headers: at end of message a
//   blocked From domain gets block_action unless anything is allowed.
// - Any allow hit: status pass, LISTS_ALLOW_<KEY>, and (allow_action =
//   "accept") an Action::kAccept request at end of message. Block hits:
//   status fail, LISTS_BLOCK_<KEY>. No hit: status none.
//
// ListsCheck is immutable and shared by all transactions of a Snapshot; each
// message gets its own ListsInstance (see check.h for the threading rules).
#pragma once

#include <memory>

#include "lists_config.h"
#include "portcullis/check.h"
#include "portcullis/check_registry.h"

namespace portcullis::lists {

class ListsCheck : public Check {
 public:
  explicit ListsCheck(std::shared_ptr<const ListsConfig> config) : config_(std::move(config)) {}
  // Only the stages some configured list needs.
  StageMask stages() const override;
  std::unique_ptr<CheckInstance> NewInstance() const override;

 private:
  std::shared_ptr<const ListsConfig> config_;
};

// The factory registered as "lists".
std::unique_ptr<Check> MakeListsCheck(ConfigReader& options, const CheckContext& context);

}  // namespace portcullis::lists
