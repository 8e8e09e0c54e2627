// Fills an EntryList from the config: inline entries ("allow", "block") and
// entry files ("allow_files", "block_files") of one key's table.
//
// File format: one entry a line; '#' starts a comment at the start of a line
// or after whitespace ('#' is legal inside a local part); blank lines are
// ignored; surrounding whitespace (and a CR from CRLF files) is trimmed.
// Every bad entry is a config error naming file:line and the entry; a file
// that cannot be read is an error. Relative paths are resolved against the
// config file's directory.
//
// Runs while a Snapshot is built (single-threaded, may block on file I/O).
#pragma once

#include <string>
#include <string_view>

#include "entry_list.h"
#include "portcullis/config_value.h"

namespace portcullis::lists {

// Entry files come from the operator or a feed they chose; still, a line
// longer than any entry can be (a 64-byte local part, '@', a 253-byte
// domain) means a wrong or binary file, so we stop reading it.
inline constexpr size_t kMaxLineBytes = 1024;
// Past this many bad entries in one source, further ones are only counted,
// so a wrong file does not flood the log with a million lines.
inline constexpr int kMaxErrorsPerSource = 20;

// Reads `table.<polarity>` and `table.<polarity>_files` into `list`. Errors go
// to `table`; returns false when there were any.
bool LoadEntries(ConfigReader& table, const std::string& polarity, const std::string& config_dir,
                 EntryList* list);

// Reads one entry file. Each error is "path:line: 'entry': reason" (or
// "path: reason"), appended to `errors`; returns false when there were any.
bool LoadEntryFile(const std::string& path, EntryList* list, std::vector<std::string>* errors);

// `path` when absolute or `config_dir` is empty, else config_dir/path.
std::string ResolvePath(const std::string& config_dir, const std::string& path);

}  // namespace portcullis::lists
