#include "lists_config.h"

#include "list_loader.h"
#include "portcullis/smtp_reply.h"

namespace portcullis::lists {
namespace {

constexpr KeyInfo kKeys[kKeyCount] = {
    {"client", "CLIENT", EntryKind::kClient},
    {"helo", "HELO", EntryKind::kHelo},
    {"sender", "SENDER", EntryKind::kAddress},
    {"recipient", "RECIPIENT", EntryKind::kAddress},
    {"from_domain", "FROM_DOMAIN", EntryKind::kDomain},
};

// Defaults: a block hit alone should push a message over the usual reject
// threshold in "score" mode; an allow hit should outweigh most content hits.
constexpr double kDefaultBlockScore = 10;
constexpr double kDefaultAllowScore = -20;

// Reads code, enhanced code and text for `prefix` ("reject" or "tempfail").
ActionRequest ReadReply(ConfigReader& options, const std::string& prefix, char reply_class,
                        Action action, bool* ok) {
  const bool reject = reply_class == '5';
  ActionRequest reply;
  reply.action = action;
  reply.smtp_code = options.String(prefix + "_code", reject ? "550" : "451");
  reply.enhanced_code = options.String(prefix + "_enhanced_code", reject ? "5.7.1" : "4.7.1");
  reply.text = options.String(prefix + "_text", reject ? "Rejected by local policy"
                                                       : "Temporarily rejected by local policy");
  if (!IsReplyCode(reply.smtp_code, reply_class)) {
    options.Error(prefix + "_code", std::string("must be a ") + reply_class + "xx reply code");
    *ok = false;
  }
  if (!IsEnhancedStatusCode(reply.enhanced_code, reply_class)) {
    options.Error(prefix + "_enhanced_code",
                  std::string("must be an RFC 3463 code like ") + reply_class + ".7.1");
    *ok = false;
  }
  if (!IsSafeReplyText(reply.text)) {
    options.Error(prefix + "_text", "must be 1 to " + std::to_string(kMaxReplyText) +
                                        " printable characters, no line breaks");
    *ok = false;
  }
  return reply;
}

}  // namespace

const KeyInfo& InfoOf(ListKey key) { return kKeys[key]; }
std::string AllowSymbol(ListKey key) { return std::string("LISTS_ALLOW_") + kKeys[key].symbol_key; }
std::string BlockSymbol(ListKey key) { return std::string("LISTS_BLOCK_") + kKeys[key].symbol_key; }

std::array<EntryList, kKeyCount> ListsConfig::MakeLists() {
  return {EntryList(kKeys[0].kind), EntryList(kKeys[1].kind), EntryList(kKeys[2].kind),
          EntryList(kKeys[3].kind), EntryList(kKeys[4].kind)};
}

std::shared_ptr<const ListsConfig> ReadListsConfig(ConfigReader& options,
                                                   const CheckContext& context) {
  auto config = std::make_shared<ListsConfig>();
  bool ok = true;
  for (int i = 0; i < kKeyCount; ++i) {
    const auto key = static_cast<ListKey>(i);
    ConfigReader table = options.Table(kKeys[key].config_name);
    ok = LoadEntries(table, "allow", context.config_dir, &config->allow[key]) && ok;
    ok = LoadEntries(table, "block", context.config_dir, &config->block[key]) && ok;
    config->allow[key].Build();
    config->block[key].Build();
  }

  const std::string action = options.String("block_action", "reject");
  if (action == "reject") {
    config->block_action = BlockAction::kReject;
  } else if (action == "tempfail") {
    config->block_action = BlockAction::kTempfail;
  } else if (action == "quarantine") {
    config->block_action = BlockAction::kQuarantine;
  } else if (action == "score") {
    config->block_action = BlockAction::kScore;
  } else {
    options.Error("block_action",
                  "'" + action + "' is not one of: reject, tempfail, quarantine, score");
    ok = false;
  }
  const std::string allow_action = options.String("allow_action", "accept");
  config->allow_accepts = allow_action == "accept";
  if (allow_action != "accept" && allow_action != "score") {
    options.Error("allow_action", "'" + allow_action + "' is not one of: accept, score");
    ok = false;
  }
  // Both replies are read (and checked) whatever the action, so that a
  // mistake shows up before someone switches block_action.
  ActionRequest reject = ReadReply(options, "reject", '5', Action::kReject, &ok);
  ActionRequest tempfail = ReadReply(options, "tempfail", '4', Action::kTempfail, &ok);
  config->block_reply = config->block_action == BlockAction::kTempfail ? tempfail : reject;

  config->allow_score.fill(kDefaultAllowScore);
  config->block_score.fill(kDefaultBlockScore);
  for (const auto& [name, score] : options.NumberMap("scores")) {
    bool known = false;
    for (int i = 0; i < kKeyCount; ++i) {
      const auto key = static_cast<ListKey>(i);
      if (name == AllowSymbol(key)) {
        config->allow_score[key] = score;
        known = true;
      } else if (name == BlockSymbol(key)) {
        config->block_score[key] = score;
        known = true;
      }
    }
    if (!known) {
      options.Error("scores", "unknown symbol '" + name + "'");
      ok = false;
    }
  }
  if (!ok) return nullptr;
  return config;
}

}  // namespace portcullis::lists
