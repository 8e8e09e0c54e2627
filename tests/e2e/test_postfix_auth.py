"""End-to-end: DKIM and DMARC behind a real private Postfix, with the test
DNS server serving the DKIM keys of the cross-implementation vectors
(tests/data/dkim/generated, signed with dkimpy) and a p=reject DMARC
policy for their domain.

A correctly signed message passes with dkim=pass and dmarc=pass; a message
whose From claims that domain without its signature, sent by a client SPF
allows for another domain, is rejected by the DMARC policy.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dns_server_fixture import DnsServer, dns_server_bin  # noqa: E402
from portcullis_fixture import (PortcullisTestCase, data_path,  # noqa: E402
                                our_auth_results as our_ar)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VECTORS = os.path.join(REPO, "tests", "data", "dkim", "generated")
PERMITTED = "192.0.2.7"  # SPF-permitted for pass.example.test (tests/data/e2e/dns)


class TestDkimDmarc(PortcullisTestCase):

    def setUp(self) -> None:
        workdir = tempfile.mkdtemp(prefix="pcauth-")
        self.addCleanup(shutil.rmtree, workdir, True)
        # The vectors' zone plus the domain's DMARC policy. Strict alignment:
        # pass.example.test (SPF) shares the organizational domain
        # example.test with dkim.example.test (".test" is not in the Public
        # Suffix List, so the implicit "*" rule applies), which relaxed
        # alignment would accept.
        zone = os.path.join(workdir, "dkim.example.test.zone")
        with open(os.path.join(VECTORS, "dkim.example.test.zone")) as f:
            text = f.read()
        with open(zone, "w") as f:
            f.write(text + '\n_dmarc.dkim.example.test. 300 IN TXT "v=DMARC1; p=reject; adkim=s; aspf=s"\n')
        self.dns = DnsServer(dns_server_bin(), [zone, data_path("dns", "example.test.zone")],
                             workdir=workdir)
        self.addCleanup(self.dns.stop)
        self.dns.start()
        self.sink = self.start_sink()
        self.pf = self.new_postfix(self.sink, relay_domains="example.net")
        self.d = self.start_portcullis(
            self.pf, listen="inet",
            checks={"spf": {"actions": {"fail": "none"}}, "dkim": {}, "dmarc": {}},
            dns={"servers": [self.dns.address]})
        self.pf.set_main_cf(reload=False, smtpd_milters=self.d.postfix_spec)
        self.pf.start()

    def send(self, sender: str, data: bytes):
        return self.pf.send("--xclient-addr", PERMITTED, "--xclient-name", "[UNAVAILABLE]",
                            from_=sender, to="rcpt@example.net", data=data, raw_data=True)

    def test_signed_message_passes_dkim_and_dmarc(self):
        with open(os.path.join(VECTORS, "matrix_relaxed_relaxed_rsa2048.eml"), "rb") as f:
            message = f.read()
        res = self.send("alice@dkim.example.test", message)
        self.assertReply(res, 250)
        msg = self.sink.wait_for_messages(1, timeout=60)[0]
        ar = our_ar(msg)
        self.assertRegex(ar, r"dkim=pass [^;]*header\.d=dkim\.example\.test")
        self.assertRegex(ar, r"dkim=pass [^;]*header\.s=rsa2048")
        self.assertRegex(ar, r"dmarc=pass (\([^)]*\) )?header\.from=dkim\.example\.test")

    def test_from_spoofed_message_of_a_reject_domain_is_rejected(self):
        spoofed = (b"From: The Boss <ceo@dkim.example.test>\r\n"
                   b"To: rcpt@example.net\r\n"
                   b"Subject: urgent wire transfer\r\n"
                   b"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                   b"Message-ID: <spoof-1@pass.example.test>\r\n"
                   b"\r\n"
                   b"Please pay the attached invoice today.\r\n")
        # SPF passes, but for pass.example.test: not strictly aligned.
        res = self.send("mallory@pass.example.test", spoofed)
        self.assertReply(res, 550, "5.7.1")
        self.assertIn("DMARC", res.final_reply.text)
        lines = self.d.wait_for_summaries(1)
        self.assertEqual(lines[0]["verdict"], "reject")
        self.assertIn("DMARC_FAIL", lines[0]["symbols"])
        self.assertEqual(self.sink.messages, [])


if __name__ == "__main__":
    unittest.main()
