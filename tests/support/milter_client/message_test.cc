// Unit tests for splitting raw messages into milter headers and body.
#include "message.h"

#include <gtest/gtest.h>

namespace portcullis::milterclient {
namespace {

TEST(MessageTest, SplitsHeadersAndConvertsBodyToCrlf) {
  const ParsedMessage m = SplitMessage("From: a@example.org\nSubject: hi\n\nline1\nline2\n");
  ASSERT_EQ(m.headers.size(), 2u);
  EXPECT_EQ(m.headers[0].name, "From");
  EXPECT_EQ(m.headers[0].value, " a@example.org");
  EXPECT_EQ(m.headers[1].name, "Subject");
  EXPECT_EQ(m.body, "line1\r\nline2\r\n");
}

TEST(MessageTest, FoldedHeaderJoinedWithNewlineKeepingContinuationWhitespace) {
  const ParsedMessage m = SplitMessage(
      "Received: from a.example (a.example [192.0.2.1])\r\n"
      "\tby mx.example with ESMTP id 123;\r\n"
      "  Mon, 1 Jan 2024 00:00:00 +0000\r\n"
      "\r\nbody\r\n");
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0].value,
            " from a.example (a.example [192.0.2.1])\n"
            "\tby mx.example with ESMTP id 123;\n"
            "  Mon, 1 Jan 2024 00:00:00 +0000");
  EXPECT_EQ(m.body, "body\r\n");
}

TEST(MessageTest, WireValueStripsLeadingBlanksOnlyWithoutLeadSpc) {
  EXPECT_EQ(WireHeaderValue(" \tvalue\n\tmore", false), "value\n\tmore");
  EXPECT_EQ(WireHeaderValue(" \tvalue\n\tmore", true), " \tvalue\n\tmore");
  EXPECT_EQ(WireHeaderValue("novalue", false), "novalue");
  EXPECT_EQ(WireHeaderValue("", false), "");
}

TEST(MessageTest, DropsMboxFromLineAndKeepsEmptyValues) {
  const ParsedMessage m = SplitMessage("From sender Mon Jan  1 00:00:00 2024\nX-Empty:\n\nb");
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0].name, "X-Empty");
  EXPECT_EQ(m.headers[0].value, "");
  EXPECT_EQ(m.body, "b\r\n");  // Unterminated last line still gets CRLF.
}

TEST(MessageTest, LineWithoutColonStartsTheBody) {
  const ParsedMessage m = SplitMessage("Subject: x\nthis is not a header\nmore\n");
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.body, "this is not a header\r\nmore\r\n");
}

TEST(MessageTest, HeadersOnlyMessageHasEmptyBody) {
  const ParsedMessage m = SplitMessage("Subject: x\n");
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_TRUE(m.body.empty());
}

TEST(MessageTest, NameTrailingBlanksTrimmedAndBodyBlankLinesKept) {
  const ParsedMessage m = SplitMessage("Subject : x\n\n\nafter blank\n\n");
  ASSERT_EQ(m.headers.size(), 1u);
  EXPECT_EQ(m.headers[0].name, "Subject");
  EXPECT_EQ(m.body, "\r\nafter blank\r\n\r\n");
}

}  // namespace
}  // namespace portcullis::milterclient
