"""End-to-end: content rules and URI blocklists behind a real private
Postfix.

A message whose decoded text hits a reject rule gets 5xx (the text is sent
base64-encoded, so the rule can only match after the MIME decode); a
quarantine rule puts the message on hold; a clean message passes with its
score header. A URL whose registered domain is listed at a URI blocklist,
served by a real DNS server on loopback, adds the list's symbol.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dns_server_fixture import DnsServer, dns_server_bin  # noqa: E402
from portcullis_fixture import PortcullisTestCase, data_path  # noqa: E402

RULES = r'''
rule { name = "E2E_REJECT_PHRASE", target = "text", pattern = [[forbidden\s+fruit]],
       flags = "i", score = 1, action = "reject", reply = "Content refused by e2e rule" }
rule { name = "E2E_HOLD_SUBJECT", target = "header:Subject", pattern = [[^review me]],
       flags = "i", score = 1, action = "quarantine" }
rule { name = "E2E_SPECIAL_OFFER", target = "text", pattern = [[special\s+offer]],
       flags = "i", score = 2.5 }
'''


def mime_message(subject: str, text: str, html: str = "") -> str:
    """A multipart/alternative message; the plain part base64-encoded."""
    encoded = base64.encodebytes(text.encode()).decode()
    parts = [
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + encoded.replace("\n", "\r\n"),
    ]
    if html:
        parts.append("--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
    return ("From: sender@example.org\r\nTo: rcpt@example.net\r\n"
            f"Subject: {subject}\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
            + "".join(parts) + "--b1--\r\n")


class ContentTestCase(PortcullisTestCase):
    def stack(self, checks, **extra):
        sink = self.start_sink()
        pf = self.new_postfix(sink, relay_domains="example.net")
        d = self.new_portcullis(pf, listen="inet", checks=checks, **extra)
        with open(os.path.join(pf.run_dir, "e2e.rules.lua"), "w") as f:
            f.write(RULES)
        d.start()
        pf.set_main_cf(reload=False, smtpd_milters=d.postfix_spec)
        pf.start()
        return sink, pf, d

    def send(self, pf, message: str):
        return pf.send(from_="sender@example.org", to="rcpt@example.net", data=message,
                       raw_data=True)


class TestContentRules(ContentTestCase):
    def setUp(self):
        super().setUp()
        # Only the test's rules: the shipped ones are covered by unit tests.
        self.sink, self.pf, self.d = self.stack(
            {"content": {"rules": ["e2e.rules.lua"], "builtin_rules": False}})

    def test_reject_rule_on_decoded_text(self):
        res = self.send(self.pf, mime_message("hello", "Have some Forbidden   Fruit today.\n"))
        self.assertReply(res, 550, "5.7.1", "Content refused by e2e rule")
        line = self.d.wait_for_summaries(1)[0]
        self.assertSummary(line, verdict="reject")
        self.assertIn("E2E_REJECT_PHRASE", line["symbols"])
        time.sleep(1)  # a delivery would take a fraction of a second
        self.assertEqual(self.sink.messages, [])

    def test_reload_with_a_broken_rule_file_keeps_the_running_rules(self):
        path = os.path.join(self.pf.run_dir, "e2e.rules.lua")
        with open(path, "w") as f:
            f.write(RULES + 'rule { name = "E2E_BROKEN", target = "text", '
                    'pattern = [[(a)\\1]], score = 1 }\n')
        log = self.d.reload()
        self.assertIn("reload failed", log)
        # Hyperscan's reason, with the file and the rule
        self.assertRegex(log, r"e2e\.rules\.lua:\d+: rule E2E_BROKEN: .*")
        res = self.send(self.pf, mime_message("hello", "forbidden fruit\n"))
        self.assertReply(res, 550, "5.7.1", "Content refused by e2e rule")

    def test_quarantine_rule_holds_message(self):
        res = self.send(self.pf, mime_message("Review me please", "nothing special\n"))
        self.assertReply(res, 250)
        qid = res.queue_id
        entries = self.pf.wait_for(
            lambda: [e for e in self.pf.queue() if e["queue_id"] == qid], 30,
            message=f"{qid} in the queue")
        self.assertEqual(entries[0]["queue_name"], "hold", entries)
        self.assertSummary(self.d.wait_for_summaries(1)[0], verdict="quarantine")
        self.assertEqual(self.sink.messages, [])

    def test_clean_message_passes_with_score_header(self):
        res = self.send(self.pf, mime_message(
            "newsletter", "Our special offer this week.\n",
            "<p>Our <b>special</b>&nbsp;offer</p>"))
        self.assertReply(res, 250)
        msg = self.sink.wait_for_messages(1, timeout=60)[0]
        self.assertEqual(msg.header("X-Portcullis-Score"), "2.50")
        self.assertIn("E2E_SPECIAL_OFFER", msg.header("X-Portcullis-Symbols") or "")


class TestUribl(ContentTestCase):
    def test_listed_url_domain_and_ip_host(self):
        workdir = tempfile.mkdtemp(prefix="pcdns-")
        self.addCleanup(shutil.rmtree, workdir, True)
        dns = DnsServer(dns_server_bin(), [data_path("dns", "uribl.test.zone")], workdir=workdir)
        self.addCleanup(dns.stop)
        dns.start()
        uribl = {"lists": [{"zone": "uribl.test", "type": "both",
                            "codes": {"127.0.0.2": {"symbol": "URIBL_E2E", "score": 4},
                                      "127.0.0.4": {"symbol": "URIBL_E2E_IP", "score": 3}}}]}
        sink, pf, d = self.stack({"uribl": uribl}, dns={"servers": [dns.address]})
        html = ('<a href="https://login.phish.example/account">your bank</a> '
                '<a href="http://198.51.100.66/x">x</a> '
                '<a href="https://clean.example.org/">fine</a>')
        res = self.send(pf, mime_message("links", "see the links\n", html))
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        symbols = msg.header("X-Portcullis-Symbols") or ""
        self.assertIn("URIBL_E2E(4.00)", symbols)
        self.assertIn("URIBL_E2E_IP(3.00)", symbols)
        asked = "\n".join(dns.query_log())
        self.assertIn("phish.example.uribl.test", asked)
        self.assertIn("example.org.uribl.test", asked, "unlisted domains are asked too")
        self.assertNotRegex(asked, r"login\.phish\.example\.uribl", "only registered domains")


if __name__ == "__main__":
    unittest.main()
