// The SMTP smuggling rules (disclosures of Dec 2023): a body line "."
// followed by SMTP commands, the raw end-of-data sequences, and look-alikes
// that must not fire.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "findings_summary.h"
#include "line_end_scanner.h"
#include "smtp_command_shape.h"

namespace portcullis::bare_lf {
namespace {

TEST(BareLfCommandShape, Lines) {
  struct Case {
    std::string line;
    bool want;
  };
  const std::vector<Case> cases = {
      {"MAIL FROM:<a@b.example>", true},
      {"mail from:<a@b.example> SIZE=10", true},
      {"RCPT TO:<c@d.example>", true},
      {"Rcpt To:<c@d.example>", true},
      {"DATA", true},
      {"data  ", true},
      {"BDAT 100 LAST", true},
      {"EHLO evil.example", true},
      {"helo x", true},
      {"RSET", true},
      {"QUIT", true},
      {"", false},
      {"MAIL", false},
      {"MAIL FROM <a@b>", false},
      {"Mail from the office", false},
      {"DATA follows", false},
      {"Data:", false},
      {" DATA", false},
      {"BDAT", false},
      {"BDAT x", false},
      {"EHLO", false},
      {"HELO  ", false},
      {"Hello world", false},
      {"QUITE", false},
      {"Rsets", false},
  };
  for (const Case& c : cases) EXPECT_EQ(LooksLikeSmtpCommand(c.line), c.want) << c.line;
}

struct Case {
  std::string what;
  std::string body;
  std::string want;
};

TEST(BareLfSmuggling, MtaBody) {
  const std::string kDot = "'.' line then SMTP command";
  const std::vector<Case> cases = {
      {"dot then MAIL FROM", "a\r\n.\r\nMAIL FROM:<x@y>\r\n", "SMTP_SMUGGLING:1@3[" + kDot + "]"},
      {"lower case", ".\r\nmail from:<x@y>\r\n", "SMTP_SMUGGLING:1@0[" + kDot + "]"},
      {"full payload counts once",
       "a\r\n.\r\nMAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nDATA\r\nFrom: ceo\r\n",
       "SMTP_SMUGGLING:1@3[" + kDot + "]"},
      {"blank line in between", "a\r\n.\r\n\r\nRCPT TO:<x>\r\n",
       "SMTP_SMUGGLING:1@3[" + kDot + "]"},
      {"third line", ".\r\na\r\nb\r\nDATA\r\n", "SMTP_SMUGGLING:1@0[" + kDot + "]"},
      {"EHLO first", ".\r\nEHLO evil.example\r\n", "SMTP_SMUGGLING:1@0[" + kDot + "]"},
      {"BDAT", ".\r\nBDAT 42 LAST\r\n", "SMTP_SMUGGLING:1@0[" + kDot + "]"},
      {"last line unterminated", ".\r\nQUIT", "SMTP_SMUGGLING:1@0[" + kDot + "]"},
      {"two attempts", ".\r\nRSET\r\nx\r\n.\r\nQUIT\r\n", "SMTP_SMUGGLING:2@0[" + kDot + "]"},
      {"long command line", ".\r\nMAIL FROM:<" + std::string(2000, 'a') + "@b>\r\n",
       "SMTP_SMUGGLING:1@0[" + kDot + "]"},
      {"dot line after a lone CR", "x\r.\rMAIL FROM:<a@b>\r\n",
       "BARE_CR_BODY:2@1 SMTP_SMUGGLING:2@1[<CR>.<CR>]"},
      // Raw sequences that survived the MTA.
      {"LF . LF", "a\n.\nb", "BARE_LF_BODY:2@1 SMTP_SMUGGLING:1@1[<LF>.<LF>]"},
      {"LF . CRLF", "a\n.\r\nb", "BARE_LF_BODY:1@1 SMTP_SMUGGLING:1@1[<LF>.<CR><LF>]"},
      {"CRLF . LF", "a\r\n.\nb", "BARE_LF_BODY:1@4 SMTP_SMUGGLING:1@1[<CR><LF>.<LF>]"},
      {"CR . CR", "a\r.\rb", "BARE_CR_BODY:2@1 SMTP_SMUGGLING:1@1[<CR>.<CR>]"},
      {"CR . CRLF", "a\r.\r\nb", "BARE_CR_BODY:1@1 SMTP_SMUGGLING:1@1[<CR>.<CR>]"},
      {"body starts LF . CRLF", "\n.\r\n", "BARE_LF_BODY:1@0 SMTP_SMUGGLING:1@0[<LF>.<CR><LF>]"},
      {"body starts . LF", ".\nx", "BARE_LF_BODY:1@1 SMTP_SMUGGLING:1@0[<CR><LF>.<LF>]"},
      {"raw sequence and commands", "a\n.\r\nMAIL FROM:<x>\r\n",
       "BARE_LF_BODY:1@1 SMTP_SMUGGLING:2@1[<LF>.<CR><LF>]"},
      // Look-alikes.
      {"dot line then text", "a\r\n.\r\nHello there\r\n", "clean"},
      {"dot line then data prose", ".\r\nData follows below\r\n", "clean"},
      {"MAIL FROM without dot line", "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n", "clean"},
      {"command too far", ".\r\na\r\nb\r\nc\r\nDATA\r\n", "clean"},
      {"double dot", "x\r\n..\r\nMAIL FROM:<a>\r\n", "clean"},
      {"dot space", "x\r\n. \r\nMAIL FROM:<a>\r\n", "clean"},
      {"dot inside line", "x.\r\nMAIL FROM:<a>\r\n", "clean"},
      {"standard end sequence", "a\r\n.\r\nb", "clean"},
      {"indented command", ".\r\n MAIL FROM:<a>\r\n", "clean"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Summary(LineEndScanner::ScanBody(c.body)), c.want) << c.what;
  }
}

TEST(BareLfSmuggling, UnixLineEnds) {
  const std::vector<Case> cases = {
      {"dot then command", "a\n.\nMAIL FROM:<a@b>\n",
       "SMTP_SMUGGLING:1@2['.' line then SMTP command]"},
      {"dot then text", "a\n.\nhello\n", "clean"},
      {"CR . CR", "a\r.\rb\n", "BARE_CR_BODY:2@1 SMTP_SMUGGLING:1@1[<CR>.<CR>]"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Summary(LineEndScanner::ScanBody(c.body, LineEnds::kLf)), c.want) << c.what;
  }
}

}  // namespace
}  // namespace portcullis::bare_lf
