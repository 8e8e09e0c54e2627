// One synchronous hiredis connection to the Redis server of the `store`
// section: connects (TCP or unix socket) within connect_timeout, sends AUTH
// (with the ACL user when set) and SELECT, and runs pipelines of commands
// with a socket timeout set before each one.
//
// Owns its redisContext (freed by the destructor). Used by one thread at a
// time: RedisPool hands it out.
#pragma once

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>

#include "portcullis/deadline.h"
#include "portcullis/store_options.h"

namespace portcullis::store {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;
using RedisCommand = std::vector<std::string>;  // binary-safe arguments

class RedisConnection {
 public:
  // nullptr with `error` on connect, AUTH or SELECT failure (including
  // Redis's own error text, e.g. WRONGPASS).
  static std::unique_ptr<RedisConnection> Connect(const RedisOptions& options,
                                                  Deadline deadline, std::string* error);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends every command in one write and reads one reply each, waiting at
  // most `timeout` per socket read. False on I/O error or timeout: the
  // connection is then unusable. Error replies are returned as replies.
  bool Pipeline(const std::vector<RedisCommand>& commands, std::chrono::milliseconds timeout,
                std::vector<RedisReplyPtr>* replies, std::string* error);

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}

  redisContext* context_;
};

// An error reply's text, or "" when `reply` is not an error.
std::string RedisErrorText(const redisReply* reply);

}  // namespace portcullis::store
