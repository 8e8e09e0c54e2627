// Incremental Content-Transfer-Encoding decoders (RFC 2045 6): base64,
// quoted-printable and the identity encodings (7bit, 8bit, binary).
//
// The MIME parser hands a leaf part's body to one decoder as lines: Feed()
// with the line's bytes (no line end; `complete` false for the pieces of a
// line cut at the line-length limit), then NewLine() for the line end. The
// parser withholds the NewLine() of a part's last line because RFC 2046
// 5.1.1 gives the CRLF before a boundary to the boundary. Decoders keep only
// a few bytes of state between calls. One decoder per part, one thread.
#pragma once

#include <string>
#include <string_view>

namespace portcullis::mime {

class TransferDecoder {
 public:
  enum class Kind { kIdentity, kBase64, kQuotedPrintable };

  explicit TransferDecoder(Kind kind) : kind_(kind) {}

  // Appends decoded bytes to `out`.
  void Feed(std::string_view line, bool complete, std::string* out);
  void NewLine(std::string* out);
  // End of the part: a partial base64 group is decoded as if padded.
  void Finish(std::string* out);

  // Set once malformed input was seen (and skipped or kept literally).
  bool saw_bad_input() const { return bad_; }

 private:
  void FeedBase64(std::string_view in, std::string* out);
  void FeedQp(std::string_view in, bool complete, std::string* out);

  Kind kind_;
  bool bad_ = false;
  // base64: sextets of the group in progress.
  unsigned group_ = 0;
  int group_count_ = 0;
  bool padded_ = false;
  // quoted-printable: "=" or "=X" cut at the end of a line piece, and
  // whether the line ended in a soft line break.
  std::string qp_carry_;
  bool soft_break_ = false;
};

}  // namespace portcullis::mime
