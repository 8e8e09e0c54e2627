// The process-wide Public Suffix List, read once from the system file.
#include <mutex>

#include "portcullis/public_suffix.h"

namespace portcullis {

std::shared_ptr<const PublicSuffixList> SystemPublicSuffixList(std::string* error) {
  // Read once: the list is about 230 KB and every message may need it;
  // std::call_once makes the first concurrent callers wait for one read.
  static std::once_flag once;
  static std::shared_ptr<const PublicSuffixList> list;
  static std::string load_error;
  std::call_once(once, [] {
    list = PublicSuffixList::Load(kSystemPublicSuffixFile, PslSections::kAll, &load_error);
  });
  if (!list && error) *error = load_error;
  return list;
}

}  // namespace portcullis
