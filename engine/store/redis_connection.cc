#include "store/redis_connection.h"

#include <algorithm>

namespace portcullis::store {
namespace {

timeval ToTimeval(std::chrono::milliseconds timeout) {
  // hiredis treats a zero timeout as "block forever": never pass it.
  auto ms = std::max<int64_t>(timeout.count(), 1);
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

std::string Where(const RedisOptions& options) {
  if (!options.unix_socket.empty()) return "unix:" + options.unix_socket;
  return options.host + ":" + std::to_string(options.port);
}

}  // namespace

std::string RedisErrorText(const redisReply* reply) {
  if (!reply || reply->type != REDIS_REPLY_ERROR) return "";
  return std::string(reply->str, reply->len);
}

std::unique_ptr<RedisConnection> RedisConnection::Connect(const RedisOptions& options,
                                                          Deadline deadline,
                                                          std::string* error) {
  auto budget = std::min(options.connect_timeout, deadline.remaining());
  if (budget.count() <= 0) {
    *error = "redis: deadline passed before connecting";
    return nullptr;
  }
  timeval tv = ToTimeval(budget);
  redisContext* context = options.unix_socket.empty()
                              ? redisConnectWithTimeout(options.host.c_str(), options.port, tv)
                              : redisConnectUnixWithTimeout(options.unix_socket.c_str(), tv);
  if (!context) {
    *error = "redis " + Where(options) + ": cannot allocate a connection";
    return nullptr;
  }
  if (context->err) {
    *error = "redis " + Where(options) + ": connect failed: " + context->errstr;
    redisFree(context);
    return nullptr;
  }
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context));
  std::vector<RedisCommand> setup;
  if (!options.password.empty()) {
    if (options.username.empty()) {
      setup.push_back({"AUTH", options.password});
    } else {
      setup.push_back({"AUTH", options.username, options.password});  // Redis 6 ACL
    }
  }
  if (options.database != 0) setup.push_back({"SELECT", std::to_string(options.database)});
  if (setup.empty()) return connection;
  std::vector<RedisReplyPtr> replies;
  auto call = std::min(options.call_timeout, deadline.remaining());
  if (!connection->Pipeline(setup, call, &replies, error)) {
    *error = "redis " + Where(options) + ": " + *error;
    return nullptr;
  }
  for (size_t i = 0; i < replies.size(); ++i) {
    if (std::string text = RedisErrorText(replies[i].get()); !text.empty()) {
      *error = "redis " + Where(options) + ": " + setup[i][0] + " failed: " + text;
      return nullptr;
    }
  }
  return connection;
}

RedisConnection::~RedisConnection() { redisFree(context_); }

bool RedisConnection::Pipeline(const std::vector<RedisCommand>& commands,
                               std::chrono::milliseconds timeout,
                               std::vector<RedisReplyPtr>* replies, std::string* error) {
  replies->clear();
  if (redisSetTimeout(context_, ToTimeval(timeout)) != REDIS_OK) {
    *error = std::string("cannot set the socket timeout: ") + context_->errstr;
    return false;
  }
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const RedisCommand& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      *error = context_->errstr;
      return false;
    }
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    void* reply = nullptr;
    if (redisGetReply(context_, &reply) != REDIS_OK || !reply) {
      *error = context_->err == REDIS_ERR_IO && context_->errstr[0] == '\0'
                   ? "I/O error"
                   : std::string(context_->errstr);
      if (error->find("Resource temporarily unavailable") != std::string::npos) {
        *error = "timed out after " + std::to_string(timeout.count()) + " ms";
      }
      replies->clear();
      return false;
    }
    replies->emplace_back(static_cast<redisReply*>(reply));
  }
  return true;
}

}  // namespace portcullis::store
