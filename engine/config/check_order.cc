#include "config/check_order.h"

#include <algorithm>

#include "config/snapshot.h"

namespace portcullis {

std::string OrderChecksByDependencies(std::vector<EnabledCheck>* checks) {
  const size_t count = checks->size();
  std::vector<std::vector<std::string>> needs(count);
  for (size_t i = 0; i < count; ++i) needs[i] = (*checks)[i].check->after();
  auto pending = [&](const std::vector<bool>& done, const std::string& name) {
    for (size_t i = 0; i < count; ++i) {
      if ((*checks)[i].name == name) return !done[i];
    }
    return false;  // not enabled: nothing to wait for
  };
  // Repeatedly take the first check, in config order, whose enabled
  // dependencies are all placed: a stable topological sort. Checks are few
  // (tens), so the quadratic loop is fine.
  std::vector<size_t> order;
  std::vector<bool> done(count, false);
  while (order.size() < count) {
    size_t next = count;
    for (size_t i = 0; i < count && next == count; ++i) {
      if (done[i]) continue;
      if (std::none_of(needs[i].begin(), needs[i].end(),
                       [&](const std::string& name) { return pending(done, name); })) {
        next = i;
      }
    }
    if (next == count) {
      std::string cycle;
      for (size_t i = 0; i < count; ++i) {
        if (!done[i]) cycle += (cycle.empty() ? "" : ", ") + (*checks)[i].name;
      }
      return "checks depend on each other in a cycle: " + cycle;
    }
    done[next] = true;
    order.push_back(next);
  }
  std::vector<EnabledCheck> ordered;
  ordered.reserve(count);
  for (size_t i : order) ordered.push_back(std::move((*checks)[i]));
  *checks = std::move(ordered);
  return "";
}

}  // namespace portcullis
