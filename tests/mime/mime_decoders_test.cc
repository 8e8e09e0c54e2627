// Table tests for the MIME decoders: RFC 2047 encoded words, RFC 2231
// parameters, the incremental base64 and quoted-printable decoders, charset
// conversion with carry across chunks.
#include <gtest/gtest.h>

#include "mime/charset_decoder.h"
#include "mime/header_decode.h"
#include "mime/mime_params.h"
#include "mime/transfer_decoder.h"

namespace portcullis::mime {
namespace {

TEST(MimeHeaderDecode, Rfc2047) {
  struct Case {
    const char* raw;
    const char* want;
    bool bad;
  } cases[] = {
      {" plain value", "plain value", false},
      {" =?utf-8?B?SGVsbG8=?=", "Hello", false},
      {" =?UTF-8?b?SGVsbG8=?=", "Hello", false},
      {" =?iso-8859-1?Q?Andr=E9?= Pirard", "Andr\u00e9 Pirard", false},
      {" =?utf-8?Q?a_b?=", "a b", false},
      // RFC 2047 8: whitespace between adjacent encoded words is dropped,
      // around plain words it is kept.
      {" =?utf-8?Q?a?= =?utf-8?Q?b?=", "ab", false},
      {" =?utf-8?Q?a?=\r\n =?utf-8?Q?b?=", "ab", false},
      {" =?utf-8?Q?a?= x =?utf-8?Q?b?=", "a x b", false},
      {" x=?utf-8?Q?a?=", "xa", false},
      // A character split across two words survives.
      {" =?utf-8?B?4oI=?= =?utf-8?B?rA==?=", "\u20ac", false},
      {" =?koi8-r?B?8NLJ18XU?=", "\u041f\u0440\u0438\u0432\u0435\u0442", false},
      {" =?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=", "\u65e5\u672c\u8a9e", false},
      {" =?windows-1252?Q?=80?=", "\u20ac", false},
      {" =?utf-8*en?Q?lang?=", "lang", false},  // RFC 2231 5 language
      {" =?utf-8?X?abc?=", "=?utf-8?X?abc?=", true},
      {" =?utf-8?B?a*b=?=", "=?utf-8?B?a*b=?=", true},
      {" =?utf-8?Q?a=ZZ?=", "a=ZZ", true},
      {" =?utf-8?Q?not closed", "=?utf-8?Q?not closed", false},
      {" a\n\tb", "a\tb", false},              // unfolding keeps the WSP
      {" \xe9t\xe9", "\u00e9t\u00e9", false},  // raw latin-1 read as cp1252
  };
  for (const Case& c : cases) {
    HeaderDecodeFlags flags;
    EXPECT_EQ(DecodeHeaderValue(c.raw, &flags), c.want) << "raw '" << c.raw << "'";
    EXPECT_EQ(flags.bad_encoded_word, c.bad) << "raw '" << c.raw << "'";
  }
  HeaderDecodeFlags flags;
  DecodeHeaderValue(" =?x-made-up?Q?a?=", &flags);
  EXPECT_TRUE(flags.bad_charset);
  DecodeHeaderValue(" caf\xc3\xa9", &flags);
  EXPECT_TRUE(flags.eight_bit);
}

TEST(MimeParams, ContentTypeAndRfc2231) {
  struct Case {
    const char* text;
    const char* want_value;
    const char* param;
    const char* want_param;  // nullptr: absent
  } cases[] = {
      {"Text/HTML; Charset=\"UTF-8\"", "text/html", "charset", "UTF-8"},
      {"text/plain; charset=us-ascii (Plain text)", "text/plain", "charset", "us-ascii"},
      {"text/plain (c) ; (c2) charset = \"a\\\"b\"", "text/plain", "charset", "a\"b"},
      {"multipart/mixed; boundary=\"----=_Part_1; x\"", "multipart/mixed", "boundary",
       "----=_Part_1; x"},
      {"multipart/mixed; boundary=----=_NextPart_000", "multipart/mixed", "boundary",
       "----=_NextPart_000"},
      {"attachment; filename*=utf-8''%E2%82%AC%20rates.pdf", "attachment", "filename",
       "\u20ac rates.pdf"},
      {"attachment; filename*=iso-8859-1'de'Gr%FC%DFe.txt", "attachment", "filename",
       "Gr\u00fc\u00dfe.txt"},
      // RFC 2231 3: continuations, joined in number order, mixed encoded.
      {"attachment; filename*1=\"b\"; filename*0*=utf-8''%C3%A9; filename*2*=%C3%A9", "attachment",
       "filename", "\u00e9b\u00e9"},
      // A gap ends the value.
      {"attachment; filename*0=a; filename*2=c", "attachment", "filename", "a"},
      // name* wins over name.
      {"attachment; filename=\"old\"; filename*=utf-8''new", "attachment", "filename", "new"},
      {"inline; FILENAME=\"x.txt\"", "inline", "filename", "x.txt"},
      {"text/plain; charset", "text/plain", "charset", nullptr},
      {"", "", "charset", nullptr},
  };
  for (const Case& c : cases) {
    const StructuredValue v = ParseStructuredValue(c.text);
    EXPECT_EQ(v.value, c.want_value) << c.text;
    auto it = v.params.find(c.param);
    if (c.want_param == nullptr) {
      EXPECT_EQ(it, v.params.end()) << c.text;
    } else {
      ASSERT_NE(it, v.params.end()) << c.text;
      EXPECT_EQ(it->second, c.want_param) << c.text;
    }
  }
  EXPECT_TRUE(ParseStructuredValue("a; n*=x-bogus-cs''abc").bad_charset);
  EXPECT_TRUE(IsMediaType("text/plain"));
  EXPECT_FALSE(IsMediaType("text"));
  EXPECT_FALSE(IsMediaType("text/"));
  EXPECT_FALSE(IsMediaType("te xt/plain"));
}

// Decodes `lines` fed in pieces of every size from 1 up, the result must
// not depend on the piece size.
std::string DecodeLines(TransferDecoder::Kind kind, const std::vector<std::string>& lines,
                        size_t piece, bool* bad) {
  TransferDecoder decoder(kind);
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) decoder.NewLine(&out);
    std::string_view line = lines[i];
    if (piece == 0 || line.empty()) {
      decoder.Feed(line, true, &out);
      continue;
    }
    for (size_t at = 0; at < line.size(); at += piece) {
      const bool last = at + piece >= line.size();
      decoder.Feed(line.substr(at, piece), last, &out);
    }
  }
  decoder.Finish(&out);
  *bad = decoder.saw_bad_input();
  return out;
}

TEST(MimeTransferDecoder, Base64AndQuotedPrintable) {
  using K = TransferDecoder::Kind;
  struct Case {
    const char* name;
    K kind;
    std::vector<std::string> lines;
    std::string want;
    bool bad;
  } cases[] = {
      {"b64 basic", K::kBase64, {"SGVsbG8gV29y", "bGQh"}, "Hello World!", false},
      {"b64 padding", K::kBase64, {"SGk="}, "Hi", false},
      {"b64 no padding", K::kBase64, {"SGk"}, "Hi", false},
      {"b64 whitespace", K::kBase64, {" SG Vs\tbG8= "}, "Hello", false},
      {"b64 bad chars", K::kBase64, {"SG*Vs!bG8="}, "Hello", true},
      {"b64 single leftover", K::kBase64, {"SGVsbG8gV"}, "Hello ", true},
      {"b64 concatenated", K::kBase64, {"SGk=", "SGk="}, "HiHi", false},
      {"qp soft break", K::kQuotedPrintable, {"ab=", "cd"}, "abcd", false},
      {"qp hard break", K::kQuotedPrintable, {"ab", "cd"}, "ab\r\ncd", false},
      {"qp hex", K::kQuotedPrintable, {"caf=E9=3d"}, "caf\xe9=", false},
      {"qp trailing space", K::kQuotedPrintable, {"a  ", "b"}, "a\r\nb", false},
      {"qp encoded space", K::kQuotedPrintable, {"a=20"}, "a ", false},
      {"qp malformed", K::kQuotedPrintable, {"a=ZZb=4"}, "a=ZZb=4", true},
      {"qp soft break with pad", K::kQuotedPrintable, {"ab= ", "cd"}, "abcd", false},
      {"identity", K::kIdentity, {"line1", "line2"}, "line1\r\nline2", false},
  };
  for (const Case& c : cases) {
    for (size_t piece : {0u, 1u, 2u, 3u, 5u}) {
      bool bad = false;
      EXPECT_EQ(DecodeLines(c.kind, c.lines, piece, &bad), c.want) << c.name << " piece " << piece;
      EXPECT_EQ(bad, c.bad) << c.name << " piece " << piece;
    }
  }
}

TEST(MimeCharsetDecoder, ConvertsWithCarryAcrossChunks) {
  struct Case {
    const char* charset;
    std::string in;
    std::string want;
    bool known;
  } cases[] = {
      {"utf-8", "caf\xc3\xa9 \xe2\x82\xac", "caf\u00e9 \u20ac", true},
      {"UTF8", "\xff ok", "\ufffd ok", true},
      {"utf-8", "\xc3", "\ufffd", true},                      // truncated at the end
      {"utf-8", "\xed\xa0\x80", "\ufffd\ufffd\ufffd", true},  // surrogate
      {"", "plain \xe9 and \xc3\xa9", "plain \u00e9 and \u00e9", true},
      {"us-ascii", "\x93q\x94", "\u201cq\u201d", true},
      {"iso-8859-1", "\x80 \xe9", "\u20ac \u00e9", true},  // read as windows-1252
      {"koi8-r", "\xf0\xd2\xc9", "\u041f\u0440\u0438", true},
      {"iso-2022-jp", "\x1b$BF|K\\\x1b(B", "\u65e5\u672c", true},
      {"shift_jis", "\x93\xfa\x96\x7b", "\u65e5\u672c", true},
      {"gb2312", "\xc4\xe3\xba\xc3", "\u4f60\u597d", true},
      {"x-no-such", "ab\xe9", "ab\u00e9", false},
      {"bad name!", "x", "x", false},
  };
  for (const Case& c : cases) {
    for (size_t piece : {1u, 2u, 3u, 1000u}) {
      CharsetDecoder decoder(c.charset);
      EXPECT_EQ(decoder.known(), c.known) << c.charset;
      std::string out;
      for (size_t i = 0; i < c.in.size(); i += piece) decoder.Feed(c.in.substr(i, piece), &out);
      decoder.Finish(&out);
      EXPECT_EQ(out, c.want) << c.charset << " piece " << piece;
    }
  }
}

}  // namespace
}  // namespace portcullis::mime
