// MimeParser structure cases as tables: part trees, default types,
// boundaries, headers of nested parts, text and anomalies.
#include <gtest/gtest.h>

#include "recording_sink.h"

namespace portcullis::mime::testing {
namespace {

// Short form of the parts: "index:depth:type[:filename][:A]".
std::string PartsOf(const RecordingSink& sink) {
  std::string out;
  for (const PartInfo& p : sink.parts) {
    if (!out.empty()) out += " ";
    out += std::to_string(p.index) + ":" + std::to_string(p.depth) + ":" + p.content_type;
    if (!p.filename.empty()) out += ":" + p.filename;
    if (p.attachment) out += ":A";
  }
  return out;
}

std::string AnomaliesOf(const RecordingSink& sink) {
  std::string out;
  for (const Anomaly& a : sink.anomalies) out += (out.empty() ? "" : " ") + a.symbol;
  return out;
}

std::string AllText(const RecordingSink& sink) {
  std::string out;
  for (const auto& [index, t] : sink.text) out += "[" + std::to_string(index) + "]" + t;
  return out;
}

TEST(MimeParser, StructureTable) {
  struct Case {
    const char* name;
    const char* message;
    const char* want_parts;
    const char* want_text;
    const char* want_anomalies;
  } cases[] = {
      {"no mime", "Subject: x\n\nhello\nworld\n", "0:0:text/plain", "[0]hello\nworld", ""},
      {"empty body", "Subject: x\n\n", "0:0:text/plain", "", ""},
      {"simple multipart",
       "Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n\none\n--b\nContent-Type: "
       "text/html\n\n<b>two</b>\n--b--\nepi\n",
       "0:0:multipart/mixed 1:1:text/plain 2:1:text/html", "[1]one[2]two", ""},
      {"transport padding and close",
       "Content-Type: multipart/mixed; boundary=\"b b\"\n\n--b b  \n\nx\n--b b--\t\n",
       "0:0:multipart/mixed 1:1:text/plain", "[1]x", ""},
      {"boundary prefix is not a boundary",
       "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bx\n--b--\n",
       "0:0:multipart/mixed 1:1:text/plain", "[1]--bx", ""},
      {"outer boundary closes inner",
       "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; "
       "boundary=i\n\n--i\n\nin\n--o\n\nafter\n--o--\n",
       "0:0:multipart/mixed 1:1:multipart/alternative 2:2:text/plain 3:1:text/plain",
       "[2]in[3]after", "MIME_UNCLOSED_MULTIPART"},
      {"digest default",
       "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: s\n\nm\n--d--\n",
       "0:0:multipart/digest 1:1:message/rfc822 2:2:text/plain", "[2]m", ""},
      {"rfc822 nested",
       "Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/html\n\n<p>hi</p>\n",
       "0:0:message/rfc822 1:1:text/html", "[1]hi\n", ""},
      {"missing blank line",
       "Content-Type: multipart/mixed; boundary=b\n\n--b\nno header here\n--b--\n",
       "0:0:multipart/mixed 1:1:text/plain", "[1]no header here", ""},
      {"missing boundary", "Content-Type: multipart/mixed\n\nbody\n", "0:0:multipart/mixed",
       "[0]body", "MIME_MISSING_BOUNDARY"},
      {"bad type defaults", "Content-Type: garbage\n\nbody\n", "0:0:text/plain", "[0]body", ""},
      {"attachment name", "Content-Type: application/zip; name=\"a.zip\"\n\nPK\n",
       "0:0:application/zip:a.zip:A", "", ""},
      {"text attachment",
       "Content-Type: text/plain\nContent-Disposition: attachment; filename=t.txt\n\nx\n",
       "0:0:text/plain:t.txt:A", "[0]x", ""},
      {"base64 text", "Content-Transfer-Encoding: base64\n\naGVsbG8=\n", "0:0:text/plain",
       "[0]hello", ""},
      {"qp text", "Content-Transfer-Encoding: quoted-printable\n\na=\nb=3D\nc\n", "0:0:text/plain",
       "[0]ab=\nc", ""},
      {"unknown cte", "Content-Transfer-Encoding: x-foo\n\nraw\n", "0:0:text/plain", "[0]raw",
       "MIME_BAD_TRANSFER_ENCODING"},
      {"unknown charset", "Content-Type: text/plain; charset=x-nope\n\nab\n", "0:0:text/plain",
       "[0]ab", "MIME_BAD_CHARSET"},
      {"part headers folded",
       "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain;\n "
       "charset=koi8-r\n\n\xf0\n--b--\n",
       "0:0:multipart/mixed 1:1:text/plain", "[1]\xd0\x9f", ""},
  };
  for (const Case& c : cases) {
    auto sink = ParseMessage(c.message);
    EXPECT_EQ(PartsOf(*sink), c.want_parts) << c.name;
    EXPECT_EQ(AllText(*sink), c.want_text) << c.name;
    EXPECT_EQ(AnomaliesOf(*sink), c.want_anomalies) << c.name;
  }
}

TEST(MimeParser, HeadersOfEveryPartAreDecodedAndPaired) {
  auto sink = ParseMessage(
      "Subject: =?utf-8?Q?top?=\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "X-Part: =?iso-8859-1?Q?caf=E9?=\n\nx\n--b--\n");
  const std::vector<std::string> want = {
      "header 0 Subject: top",
      "header 0 Content-Type: multipart/mixed; boundary=b",
      "start part 0 depth=0 type=multipart/mixed cte=7bit",
      "header 1 X-Part: caf\u00e9",
      "start part 1 depth=1 type=text/plain cte=7bit",
      "end part 1",
      "end part 0",
  };
  EXPECT_EQ(sink->structure, want);
}

TEST(MimeParser, ApiOrderIsForgiving) {
  // Body without EndOfHeaders, End twice, calls after End ignored.
  RecordingSink sink;
  MimeParser parser(Limits(), &sink, nullptr);
  parser.Header("Subject", " s");
  parser.Body("text http://a.example/ ");
  parser.End();
  parser.End();
  parser.Body("more");
  parser.Header("X", "y");
  EXPECT_EQ(sink.text[0], "text http://a.example/ ");
  ASSERT_EQ(sink.urls.size(), 1u);
  EXPECT_EQ(sink.urls[0].registered_domain, "");  // no PSL
  EXPECT_EQ(sink.structure.back(), "end part 0");
  EXPECT_EQ(sink.structure.size(), 3u);

  RecordingSink nothing;
  MimeParser empty(Limits(), &nothing, nullptr);
  empty.End();
  EXPECT_EQ(
      nothing.structure,
      std::vector<std::string>({"start part 0 depth=0 type=text/plain cte=7bit", "end part 0"}));
}

TEST(MimeParser, DecodedBytesOfEveryLeaf) {
  auto sink = ParseMessage(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: image/gif\n"
      "Content-Transfer-Encoding: base64\n\nR0lGODlh\n--b\n\nline1\nline2\n--b--\n");
  EXPECT_EQ(sink->bytes[1], "GIF89a");
  EXPECT_EQ(sink->bytes[2], "line1\r\nline2");  // the last CRLF belongs to the boundary
  EXPECT_EQ(sink->bytes.count(0), 0u);          // a multipart has no bytes of its own
}

}  // namespace
}  // namespace portcullis::mime::testing
