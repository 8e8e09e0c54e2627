#include "lists_check.h"

#include "lists_instance.h"

namespace portcullis::lists {

StageMask ListsCheck::stages() const {
  const ListsConfig& config = *config_;
  StageMask mask = 0;
  if (config.HasLists(kClient)) mask |= kStageConnect;
  if (config.HasLists(kHelo)) mask |= kStageHelo;
  if (config.HasLists(kSender)) mask |= kStageMailFrom;
  // Client, HELO and sender blocks are enforced per recipient.
  if (config.HasLists(kClient) || config.HasLists(kHelo) || config.HasLists(kSender) ||
      config.HasLists(kRecipient)) {
    mask |= kStageRcpt;
  }
  if (config.HasLists(kFromDomain)) mask |= kStageHeader;
  return mask;
}

std::unique_ptr<CheckInstance> ListsCheck::NewInstance() const {
  return std::make_unique<ListsInstance>(config_);
}

std::unique_ptr<Check> MakeListsCheck(ConfigReader& options, const CheckContext& context) {
  auto config = ReadListsConfig(options, context);
  if (!config) return nullptr;
  return std::make_unique<ListsCheck>(std::move(config));
}

}  // namespace portcullis::lists

PORTCULLIS_REGISTER_CHECK(lists, portcullis::lists::MakeListsCheck);
