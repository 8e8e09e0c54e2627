// HTML reduction: tags, entities, skipped elements, block breaks, links;
// identical output for every chunking.
#include <gtest/gtest.h>

#include "mime/html_reducer.h"

namespace portcullis::mime {
namespace {

struct Collect : HtmlReducer::Output {
  std::string text;
  std::vector<std::string> links;
  void HtmlText(std::string_view utf8) override { text.append(utf8); }
  void HtmlLink(std::string_view url) override { links.emplace_back(url); }
};

TEST(MimeHtmlReducer, ReducesToText) {
  struct Case {
    const char* html;
    const char* want_text;
    std::vector<std::string> want_links;
  } cases[] = {
      {"<b>bold</b> text", "bold text", {}},
      {"a&amp;b &lt;c&gt; &quot;d&quot; &#65;&#x42;&#X43;", "a&b <c> \"d\" ABC", {}},
      {"caf&eacute; &euro;5 &copy;", "caf\u00e9 \u20ac5 \u00a9", {}},
      {"x&nbsp;&nbsp;y", "x y", {}},
      {"AT&T &bogus; &amp", "AT&T &bogus; &", {}},
      {"&#0; &#xD800; &#1114112;", "\ufffd \ufffd \ufffd", {}},
      {"<p>one</p><p>two</p>three<br>four", "one\ntwo\nthree\nfour", {}},
      {"<td>a</td><td>b</td>", "a b", {}},
      {"he<b>ll</b>o", "hello", {}},
      {"<script>var x='<p>no</p>';</script>yes", "yes", {}},
      {"<style>p{}</style ><SCRIPT type=x>a</SCRIPT>ok", "ok", {}},
      {"<head><title>t</title><link href=\"http://css.example/\"></head><body>b",
       "b",
       {"http://css.example/"}},
      {"<!-- c <p> --> after", "after", {}},
      {"<!DOCTYPE html>x", "x", {}},
      {"a < b and c > d", "a < b and c > d", {}},
      {"<a href=\"http://a.example/?x=1&amp;y=2\">l</a>", "l", {"http://a.example/?x=1&y=2"}},
      {"<a href='q'>1</a><img src=http://i.example/p.gif alt=x><a HREF = \" s \">2</a>",
       "1 2",
       {"q", "http://i.example/p.gif", "s"}},
      {"  lots   of\n\n  space  ", "lots of space", {}},
      {"<div>\n  text\n</div>", "text\n", {}},
  };
  for (const Case& c : cases) {
    const std::string html = c.html;
    for (size_t piece : {1u, 2u, 5u, 1000u}) {
      Collect out;
      HtmlReducer reducer(&out);
      for (size_t i = 0; i < html.size(); i += piece) reducer.Feed(html.substr(i, piece));
      reducer.Finish();
      EXPECT_EQ(out.text, c.want_text) << c.html << " piece " << piece;
      EXPECT_EQ(out.links, c.want_links) << c.html << " piece " << piece;
    }
  }
}

TEST(MimeHtmlReducer, AttributeValuesAreBounded) {
  Collect out;
  HtmlReducer reducer(&out);
  reducer.Feed("<a href=\"http://x.example/" + std::string(100000, 'a') + "\">t</a>");
  reducer.Finish();
  ASSERT_EQ(out.links.size(), 1u);
  EXPECT_EQ(out.links[0].size(), kMaxAttributeBytes);
  EXPECT_EQ(out.text, "t");
}

TEST(MimeHtmlReducer, DecodeEntities) {
  EXPECT_EQ(DecodeHtmlEntities("a&amp;b&#x2F;&unknown;&lt"), "a&b/&unknown;<");
}

}  // namespace
}  // namespace portcullis::mime
