"""End-to-end: the DNS-driven checks (SPF, DNS blocklists, iprev) behind a
real private Postfix, with a real DNS server on loopback serving the zones
in tests/data/e2e/dns.

The test picks the client address with XCLIENT (Postfix trusts it from
127.0.0.0/8 in the harness), so one SMTP client can play a permitted
sender, a forger and a listed host.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dns_server_fixture import DnsServer, dns_server_bin  # noqa: E402
from portcullis_fixture import (PortcullisTestCase, data_path,  # noqa: E402
                                our_auth_results as our_ar)

ZONES = [data_path("dns", name) for name in ("example.test.zone", "reverse.zone",
                                              "bl.test.zone")]
PERMITTED = "192.0.2.7"     # in pass.example.test's SPF record, has FCrDNS
FORGER = "203.0.113.9"      # in nobody's record, listed at bl.test
OTHER = "198.18.0.1"        # in nobody's record, not listed, no PTR


class DnsTestCase(PortcullisTestCase):
    """sink + DNS server + Postfix (XCLIENT allowed) + daemon."""

    def start_dns(self, faults=()) -> DnsServer:
        workdir = tempfile.mkdtemp(prefix="pcdns-")
        self.addCleanup(shutil.rmtree, workdir, True)
        dns = DnsServer(dns_server_bin(), ZONES, faults=faults, workdir=workdir)
        self.addCleanup(dns.stop)
        dns.start()
        return dns

    def start_dns_stack(self, checks, dns_settings, **extra):
        sink = self.start_sink()
        pf = self.new_postfix(sink, relay_domains="example.net")
        d = self.start_portcullis(pf, listen="inet", checks=checks, dns=dns_settings, **extra)
        pf.set_main_cf(reload=False, smtpd_milters=d.postfix_spec)
        pf.start()
        return sink, pf, d

    def send_as(self, pf, client: str, sender: str, **kw):
        return pf.send("--xclient-addr", client, "--xclient-name", "[UNAVAILABLE]",
                       from_=sender, to="rcpt@example.net", **kw)


class TestSpf(DnsTestCase):
    """An SPF-fail client is rejected (or scored, per config); an SPF-pass
    message carries spf=pass in Authentication-Results."""

    def test_pass_and_fail(self):
        dns = self.start_dns()
        sink, pf, d = self.start_dns_stack(
            {"spf": {"actions": {"fail": "reject"}, "received_spf_header": True},
             "iprev": {}},
            {"servers": [dns.address], "attempt_timeout_ms": 300})

        res = self.send_as(pf, PERMITTED, "alice@pass.example.test",
                           headers={"Subject": "spf pass"})
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        ar = our_ar(msg)
        self.assertRegex(ar, r"spf=pass \([^)]*\) smtp\.mailfrom=alice@pass\.example\.test")
        self.assertIn(f"iprev=pass policy.iprev={PERMITTED}", ar)
        received_spf = msg.header("Received-SPF") or ""
        self.assertRegex(received_spf, rf"^pass \(.*client-ip={PERMITTED};", received_spf)
        # Postfix's {j} (its myhostname) is the receiver, RFC 7208 9.1
        self.assertIn("receiver=mx.portcullis-e2e.test;", received_spf)

        res = self.send_as(pf, FORGER, "mallory@fail.example.test",
                           headers={"Subject": "spf fail"})
        self.assertReply(res, 550, "5.7.23")
        # the exp= explanation, macro-expanded, reaches the client
        self.assertIn(f"{FORGER} is not allowed to send mail for fail.example.test",
                      res.final_reply.text)
        time.sleep(1)
        self.assertEqual(len(sink.messages), 1, "the SPF-fail message was delivered")
        lines = d.wait_for_summaries(2)
        self.assertEqual([l["verdict"] for l in lines], ["accept", "reject"])
        self.assertIn("SPF_FAIL", lines[1]["symbols"])

    def test_null_sender_is_checked_by_its_helo_name(self):
        """RFC 7208 2.4: a bounce (MAIL FROM:<>) is checked by the HELO name,
        so the daemon must ask the MTA for HELO when SPF is on."""
        dns = self.start_dns()
        sink, pf, d = self.start_dns_stack(
            {"spf": {"received_spf_header": True}},
            {"servers": [dns.address], "attempt_timeout_ms": 300})
        res = self.send_as(pf, PERMITTED, "<>", helo="pass.example.test",
                           headers={"Subject": "bounce"})
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertRegex(our_ar(msg), r"spf=pass \([^)]*\) smtp\.helo=pass\.example\.test")
        received_spf = msg.header("Received-SPF") or ""
        self.assertIn("helo=pass.example.test; identity=helo;", received_spf)

    def test_fail_scored_when_configured(self):
        dns = self.start_dns()
        sink, pf, d = self.start_dns_stack(
            {"spf": {"actions": {"fail": "none"}}},
            {"servers": [dns.address]})
        res = self.send_as(pf, OTHER, "mallory@fail.example.test")
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertRegex(our_ar(msg),
                         r"spf=fail \([^)]*\) smtp\.mailfrom=mallory@fail\.example\.test")
        self.assertIn("SPF_FAIL", msg.header("X-Portcullis-Symbols") or "")

    def test_dns_down_still_answers_in_time(self):
        """A DNS server that never answers: every transaction still gets its
        verdict (spf=temperror, delivered) well inside the MTA's timeouts."""
        dns = self.start_dns(faults=["example.test=drop", "in-addr.arpa=drop"])
        sink, pf, d = self.start_dns_stack(
            {"spf": {}, "iprev": {}},
            {"servers": [dns.address], "attempt_timeout_ms": 200, "attempts": 2,
             "query_timeout_ms": 1500},
            timeouts={"end_of_message_ms": 3000, "drain_ms": 10000})
        started = time.monotonic()
        res = self.send_as(pf, PERMITTED, "alice@pass.example.test")
        elapsed = time.monotonic() - started
        self.assertReply(res, 250)
        self.assertLess(elapsed, 15, "the MTA waited on DNS past the deadline")
        msg = sink.wait_for_messages(1, timeout=60)[0]
        ar = our_ar(msg)
        self.assertIn("spf=temperror", ar)
        self.assertIn("iprev=temperror", ar)
        # the lookups did reach the (silent) server
        self.assertTrue(any("pass.example.test" in line for line in dns.query_log()),
                        dns.query_log())


class TestDnsbl(DnsTestCase):
    """A client listed at a DNS blocklist is refused at RCPT TO when the list
    rejects; a client that is not listed passes."""

    LIST = {"zone": "bl.test", "type": "ip", "action": "reject", "ipv6": False,
            "default": {"symbol": "RBL_E2E", "score": 5},
            "reject_code": "554", "reject_enhanced_code": "5.7.1",
            "reject_text": "Client listed at bl.test"}

    def test_listed_client_rejected_at_rcpt(self):
        dns = self.start_dns()
        sink, pf, d = self.start_dns_stack({"dnsbl": {"lists": [self.LIST]}},
                                           {"servers": [dns.address]})
        res = self.send_as(pf, FORGER, "someone@pass.example.test")
        self.assertReply(res, 554, "5.7.1", "Client listed at bl.test")
        self.assertTrue(res.final_reply.command.startswith("RCPT TO"), res.transcript)
        self.assertIn("9.113.0.203.bl.test", " ".join(dns.query_log()))

        res = self.send_as(pf, PERMITTED, "alice@pass.example.test")
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertIsNone(msg.header("X-Portcullis-Symbols"), msg.header_bytes.decode())
        self.assertIn("7.2.0.192.bl.test", " ".join(dns.query_log()))

    def test_listed_client_scored_when_configured(self):
        dns = self.start_dns()
        listing = dict(self.LIST, action="score")
        sink, pf, d = self.start_dns_stack({"dnsbl": {"lists": [listing]}},
                                           {"servers": [dns.address]})
        res = self.send_as(pf, FORGER, "someone@pass.example.test")
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertIn("RBL_E2E(5.00)", msg.header("X-Portcullis-Symbols") or "")

    def test_self_test_warns_about_a_list_that_lists_everything(self):
        dns = self.start_dns()
        broken = dict(self.LIST, zone="everything.bl.test", action="score")
        sink, pf, d = self.start_dns_stack({"dnsbl": {"lists": [self.LIST, broken]}},
                                           {"servers": [dns.address]})
        d.wait_for_log(r"warning: dnsbl: list everything\.bl\.test: RFC 5782 section 5 "
                       r"test 1\.0\.0\.127\.everything\.bl\.test: listed, but no list may "
                       r"list it")
        self.assertNotIn("list bl.test:", d.log_text(), "the healthy list was warned about")
        self.assertIn("2.0.0.127.bl.test", " ".join(dns.query_log()))


if __name__ == "__main__":
    unittest.main()
