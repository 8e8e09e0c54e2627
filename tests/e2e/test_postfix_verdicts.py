"""End-to-end: the real Portcullis daemon behind a real private Postfix.

swaks / smtplib -> Postfix smtpd (smtpd_milters = portcullis) -> sink.
Each test starts its own sink, Postfix instance and daemon (see
portcullis_fixture.py) and asserts what the SMTP client sees, what reaches
the sink or the hold queue, and the daemon's one summary line per message.
"""

from __future__ import annotations

import os
import re
import signal
import smtplib
import stat
import time
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from portcullis_fixture import (AUTHSERV_ID, PortcullisTestCase,  # noqa: E402
                                data_path)
from postfix_instance import free_port, wait_until  # noqa: E402

VERDICT_POLICY = data_path("policy_verdicts.lua")

BLOCK_CLIENT = {
    "lists": {
        "client": {"block": ["127.0.0.1"]},
        "recipient": {"allow": ["postmaster@example.net"]},
        "reject_code": "554",
        "reject_enhanced_code": "5.7.1",
        "reject_text": "Client blocked by e2e test",
    }
}

SCORE_RE = re.compile(r"^-?\d+\.\d\d$")
ELAPSED_RE = re.compile(r"^\d+(\.\d+)?$")


def ar_values(msg) -> list:
    """Authentication-Results values of a sink message, unfolded."""
    return [" ".join(p.strip() for p in v.split("\r\n")).strip()
            for v in msg.headers("Authentication-Results")]


class SinkQuiet:
    """Helpers asserting that nothing reached the sink."""

    @staticmethod
    def settle(pf, seconds: float = 1.0) -> None:
        # the qmgr would deliver within a fraction of a second; the queue is
        # empty anyway when the message was refused, so this only bounds a
        # false "nothing arrived"
        time.sleep(seconds)


class TestAcceptHeaders(PortcullisTestCase):
    """a: accepted mail gets our headers; a forged A-R with our id goes."""

    def _send_and_check(self, listen: str) -> None:
        sink, pf, d = self.start_stack(listen=listen)
        res = pf.send(
            headers={"Subject": "e2e accept"},
            add_headers=[
                f"Authentication-Results: {AUTHSERV_ID}; spf=pass smtp.mailfrom=example.org",
                "Authentication-Results: other.example; spf=fail smtp.mailfrom=example.org",
            ],
            body="hello\n")
        self.assertEqual(res.returncode, 0, res.transcript)
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        ars = ar_values(msg)
        ours = [v for v in ars if re.match(rf"^{re.escape(AUTHSERV_ID)}\s*(;|$)", v)]
        self.assertEqual(len(ours), 1, f"A-R headers: {ars}\n{msg.header_bytes.decode()}")
        self.assertNotIn("spf=pass", ours[0], "the forged A-R claiming our id was kept")
        self.assertTrue(any(v.startswith("other.example;") for v in ars),
                        f"foreign A-R removed: {ars}")
        # ours is inserted at the top: above the foreign one and the original
        # headers (Postfix's own Received: may sit above it)
        names = [n.lower() for n, _ in msg.raw_headers()]
        first_ar = names.index("authentication-results")
        self.assertTrue(ar_values(msg)[0].startswith(AUTHSERV_ID), names)
        self.assertLess(first_ar, names.index("subject"), names)
        # a clean message scores nothing: no score header (absence means 0)
        self.assertIsNone(msg.header("X-Portcullis-Score"), msg.header_bytes.decode())
        self.assertIsNone(msg.header("X-Portcullis-Quarantine"))
        lines = d.wait_for_summaries(1)
        self.assertEqual(len(lines), 1, d.log_text())
        self.assertSummary(lines[0], verdict="accept", queue_id=res.queue_id)

    def test_accept_inet(self):
        self._send_and_check("inet")

    def test_accept_unix_socket(self):
        self._send_and_check("unix")

    def test_unix_socket_mode(self):
        sink, pf, d = self.start_stack(listen="unix")
        path = d.listen_spec.split(":", 1)[1]
        mode = stat.S_IMODE(os.stat(path).st_mode)
        self.assertEqual(mode, 0o666, oct(mode))


class TestListsBlock(PortcullisTestCase):
    """b: a blocked client gets our 5xx at RCPT; an allowlisted recipient
    still gets through."""

    def test_blocked_client_rejected_at_rcpt(self):
        sink, pf, d = self.start_stack(checks=BLOCK_CLIENT)
        mark = pf.log_mark()
        res = pf.send(to="rcpt@example.net", headers={"Subject": "blocked"})
        self.assertEqual(res.returncode, 24, res.transcript)   # no RCPT accepted
        r = res.reply_to("RCPT")
        self.assertIsNotNone(r, res.transcript)
        self.assertEqual(r.full, "554 5.7.1 Client blocked by e2e test", res.transcript)
        pf.wait_for_log(r"NOQUEUE: milter-reject: RCPT from .*554 5.7.1 Client blocked by "
                        r"e2e test", since=mark)
        self.assertEqual(pf.queue(), [])
        SinkQuiet.settle(pf)
        self.assertEqual(sink.messages, [])

    def test_allowlisted_recipient_passes_from_blocked_client(self):
        sink, pf, d = self.start_stack(checks=BLOCK_CLIENT)
        res = pf.send(to="rcpt@example.net,postmaster@example.net",
                      headers={"Subject": "allowlisted"})
        self.assertEqual(res.returncode, 0, res.transcript)
        rcpt_replies = [r for r in res.replies if r.command.upper().startswith("RCPT")]
        self.assertEqual([r.code for r in rcpt_replies], [554, 250], res.transcript)
        self.assertIsNotNone(res.queue_id, res.transcript)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertEqual(msg.rcpt_tos, ["postmaster@example.net"])
        line = d.wait_for_summaries(1)[0]
        self.assertSummary(line, verdict="accept", queue_id=res.queue_id,
                           rcpts="<postmaster@example.net>")
        self.assertIn("LISTS_ALLOW_RECIPIENT", line["symbols"])


class TestPolicyVerdicts(PortcullisTestCase):
    """c, d, e: tempfail, reject and quarantine decided by a policy file."""

    def setUp(self):
        self.sink, self.pf, self.d = self.start_stack(policy_file=VERDICT_POLICY)

    def test_tempfail_at_end_of_data(self):
        res = self.pf.send(to="tempfail@example.net", headers={"Subject": "tf"})
        self.assertEqual(res.returncode, 26, res.transcript)
        self.assertEqual(res.reply_to(".").full, "451 4.7.1 Try later e2e", res.transcript)
        line = self.d.wait_for_summaries(1)[0]
        self.assertSummary(line, verdict="tempfail", reply="451 4.7.1 Try later e2e",
                           rcpts="<tempfail@example.net>")
        self.assertEqual(self.pf.queue(), [])

    def test_reject_at_end_of_data(self):
        res = self.pf.send(to="reject@example.net", headers={"Subject": "rj"})
        self.assertEqual(res.returncode, 26, res.transcript)
        self.assertEqual(res.reply_to(".").full, "550 5.7.1 Rejected e2e", res.transcript)
        line = self.d.wait_for_summaries(1)[0]
        self.assertSummary(line, verdict="reject", reply="550 5.7.1 Rejected e2e")
        self.assertEqual(self.pf.queue(), [])
        SinkQuiet.settle(self.pf)
        self.assertEqual(self.sink.messages, [])

    def test_quarantine_holds_message(self):
        res = self.pf.send(to="hold@example.net", headers={"Subject": "hold me"})
        self.assertEqual(res.returncode, 0, res.transcript)
        qid = res.queue_id
        self.assertIsNotNone(qid, res.transcript)
        entries = self.pf.wait_for(
            lambda: [e for e in self.pf.queue() if e["queue_id"] == qid], 30,
            message=f"{qid} in the queue")
        self.assertEqual(entries[0]["queue_name"], "hold", entries)
        line = self.d.wait_for_summaries(1)[0]
        self.assertSummary(line, verdict="quarantine", reason="e2e hold", queue_id=qid)
        content = self.pf.queue_file(qid)
        m = re.search(r"^X-Portcullis-Quarantine: (.*)$", content, re.M)
        self.assertIsNotNone(m, content)
        self.assertEqual(m.group(1).strip(), "e2e hold")
        self.assertRegex(content, rf"(?m)^Authentication-Results: {re.escape(AUTHSERV_ID)}")
        self.assertEqual(self.sink.messages, [])

    def test_other_recipient_accepted(self):
        res = self.pf.send(to="someone@example.net", headers={"Subject": "ok"})
        self.assertReply(res, 250)
        self.sink.wait_for_messages(1, timeout=60)
        self.assertSummary(self.d.wait_for_summaries(1)[0], verdict="accept")


class TestDefaultAction(PortcullisTestCase):
    """f: with the daemon down, Postfix applies milter_default_action."""

    def test_daemon_down_tempfail(self):
        sink, pf, d = self.start_stack(milter_default_action="tempfail")
        d.stop()
        mark = pf.log_mark()
        res = pf.send(headers={"Subject": "down"})
        r = res.final_reply
        self.assertIsNotNone(r, res.transcript)
        self.assertTrue(400 <= r.code < 500, res.transcript)
        pf.wait_for_log(r"warning: connect to Milter service", since=mark)
        self.assertEqual(pf.queue(), [])

    def test_daemon_down_accept(self):
        sink, pf, d = self.start_stack(milter_default_action="accept")
        d.stop()
        res = pf.send(headers={"Subject": "down"})
        self.assertReply(res, 250)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertEqual(ar_values(msg), [], "our A-R added with the daemon down")


class TestSummaryLine(PortcullisTestCase):
    """g: one summary line per message, with the documented fields."""

    def test_summary_fields(self):
        sink, pf, d = self.start_stack()
        res = pf.send(from_="alice@example.org", to=["bob@example.net", "carol@example.net"],
                      headers={"Subject": "summary"})
        self.assertReply(res, 250)
        qid = res.queue_id
        self.assertIsNotNone(qid, res.transcript)
        sink.wait_for_messages(1, timeout=60)
        lines = d.wait_for_summaries(1)
        time.sleep(0.5)     # a duplicate line would come right after
        lines = d.summaries()
        self.assertEqual(len(lines), 1, d.log_text())
        f = lines[0]
        self.assertSummary(f, queue_id=qid, client="localhost[127.0.0.1]",
                           rcpts="<bob@example.net>,<carol@example.net>", verdict="accept")
        self.assertEqual(f["from"], "<alice@example.org>")
        self.assertRegex(f["score"], SCORE_RE)
        self.assertRegex(f["elapsed_ms"], ELAPSED_RE)
        self.assertIn("symbols", f)
        self.assertRegex(f["_prefix"], r"portcullis\[\d+\]: info: $")
        # Postfix logged the same queue id
        pf.wait_for_log(rf"\b{qid}: from=<alice@example.org>")


class TestSeveralMessagesOneConnection(PortcullisTestCase):
    """h: three transactions on one SMTP session, the middle one RSET."""

    def test_three_transactions_rset(self):
        sink, pf, d = self.start_stack()
        qids = []
        with smtplib.SMTP("127.0.0.1", pf.smtpd_port, timeout=60) as s:
            s.ehlo("client.example.org")
            code, _ = s.mail("first@example.org")
            self.assertEqual(code, 250)
            self.assertEqual(s.rcpt("one@example.net")[0], 250)
            code, resp = s.data(b"Subject: first\r\n\r\nbody one\r\n")
            self.assertEqual(code, 250, resp)
            qids.append(re.search(rb"queued as (\w+)", resp).group(1).decode())

            self.assertEqual(s.mail("second@example.org")[0], 250)
            self.assertEqual(s.rcpt("two@example.net")[0], 250)
            self.assertEqual(s.rset()[0], 250)

            self.assertEqual(s.mail("third@example.org")[0], 250)
            self.assertEqual(s.rcpt("three@example.net")[0], 250)
            code, resp = s.data(b"Subject: third\r\n\r\nbody three\r\n")
            self.assertEqual(code, 250, resp)
            qids.append(re.search(rb"queued as (\w+)", resp).group(1).decode())
        msgs = sink.wait_for_messages(2, timeout=60)
        self.assertEqual(sorted(m.mail_from for m in msgs),
                         ["first@example.org", "third@example.org"])
        lines = d.wait_for_summaries(2)
        time.sleep(0.5)
        lines = d.summaries()
        self.assertEqual(len(lines), 2, d.log_text())
        self.assertEqual([l["queue_id"] for l in lines], qids)
        self.assertEqual([l["from"] for l in lines],
                         ["<first@example.org>", "<third@example.org>"])
        self.assertEqual([l["rcpts"] for l in lines],
                         ["<one@example.net>", "<three@example.net>"])
        self.assertEqual([l["verdict"] for l in lines], ["accept", "accept"])
        for m in msgs:
            self.assertEqual(len(ar_values(m)), 1, m.header_bytes.decode())


class TestBareLfSmuggling(PortcullisTestCase):
    """i: a body line "." followed by SMTP commands is rejected by bare_lf."""

    SMUGGLED = (b"Subject: smuggle\r\n"
                b"\r\n"
                b"innocent text\r\n"
                b".\r\n"                       # smtplib sends "..", Postfix unstuffs
                b"MAIL FROM:<x@y>\r\n"
                b"RCPT TO:<z@w>\r\n"
                b"DATA\r\n"
                b"Subject: smuggled\r\n"
                b"\r\n"
                b"second message\r\n")

    def test_smuggling_rejected(self):
        sink, pf, d = self.start_stack(checks={"bare_lf": {}})
        with smtplib.SMTP("127.0.0.1", pf.smtpd_port, timeout=60) as s:
            s.ehlo("client.example.org")
            self.assertEqual(s.mail("sender@example.org")[0], 250)
            self.assertEqual(s.rcpt("rcpt@example.net")[0], 250)
            # smtplib.data() dot-stuffs and returns the end-of-data reply
            code, resp = s.data(self.SMUGGLED)
        self.assertEqual(code, 550, resp)
        text = resp.decode()
        self.assertTrue(text.startswith("5.7.1 "), text)
        self.assertIn("SMTP smuggling", text)
        line = d.wait_for_summaries(1)[0]
        self.assertSummary(line, verdict="reject")
        self.assertIn("SMTP_SMUGGLING", line["symbols"])
        self.assertEqual(pf.queue(), [])
        SinkQuiet.settle(pf)
        self.assertEqual(sink.messages, [])

    def test_plain_dot_line_is_fine(self):
        # a "." line without commands after it is not smuggling
        sink, pf, d = self.start_stack(checks={"bare_lf": {}})
        with smtplib.SMTP("127.0.0.1", pf.smtpd_port, timeout=60) as s:
            s.ehlo("client.example.org")
            s.mail("sender@example.org")
            s.rcpt("rcpt@example.net")
            code, resp = s.data(b"Subject: dot\r\n\r\nline\r\n.\r\nmore prose\r\n")
        self.assertEqual(code, 250, resp)
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertIn(b"\r\n.\r\nmore prose", msg.body_bytes)
        self.assertSummary(d.wait_for_summaries(1)[0], verdict="accept")


class TestReload(PortcullisTestCase):
    """j: SIGUSR1 reload; a broken config keeps the old Snapshot."""

    def test_reload_and_failed_reload(self):
        sink, pf, d = self.start_stack()
        res = pf.send(headers={"Subject": "before"})
        self.assertReply(res, 250)
        sink.wait_for_messages(1, timeout=60)

        d.write_config(checks=BLOCK_CLIENT)
        out = d.reload()
        self.assertIn("configuration reloaded", out)
        res = pf.send(headers={"Subject": "after"})
        self.assertEqual(res.returncode, 24, res.transcript)
        self.assertEqual(res.reply_to("RCPT").full, "554 5.7.1 Client blocked by e2e test")

        with open(d.config_path) as f:
            good = f.read()
        broken = good + "checks = { lists = {\n"          # unterminated table
        d.write_config(raw=broken)
        out = d.reload()
        self.assertIn("reload failed", out)
        # the error names the file and a line
        self.assertRegex(out, re.escape(d.config_path) + r":\d+:")
        self.assertTrue(d.running())
        res = pf.send(headers={"Subject": "after failed reload"})
        self.assertEqual(res.returncode, 24, res.transcript)
        self.assertEqual(res.reply_to("RCPT").full, "554 5.7.1 Client blocked by e2e test")
        self.assertEqual(len(sink.messages), 1)

    def test_reload_with_metrics_enabled(self):
        # the metrics exposer's threads must not take SIGUSR1 (default
        # action: terminate) away from the reload thread
        port = free_port()
        sink, pf, d = self.start_stack(metrics={"listen": f"127.0.0.1:{port}"})
        out = d.reload(timeout=15)
        self.assertIn("configuration reloaded", out)
        self.assertTrue(d.running(), f"exit {d.milter.proc.returncode}: {d.log_text()}")
        res = pf.send(headers={"Subject": "after reload"})
        self.assertReply(res, 250)

    def test_reload_command_pid_file(self):
        from milter_fixture import portcullis_bin
        import subprocess
        sink, pf, d = self.start_stack()
        d.write_config(checks=BLOCK_CLIENT)
        mark = d.log_mark()
        p = subprocess.run([portcullis_bin(), "reload", "--pid-file", d.pid_file],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        d.wait_for_log(r"configuration reloaded", since=mark)
        res = pf.send(headers={"Subject": "after"})
        self.assertEqual(res.reply_to("RCPT").full, "554 5.7.1 Client blocked by e2e test")


class TestSigterm(PortcullisTestCase):
    """k: SIGTERM while a message is in flight: it is finished on our verdict.

    libmilter alone cannot do this: Debian builds it with the worker pool,
    whose controller and workers leave their loops as soon as the stop flag
    is set (`if (mi_stop() != MILTER_CONT) break;` in libmilter/worker.c),
    abandoning open sessions to milter_default_action. The daemon interposes
    sigwait() so that on SIGTERM it first closes the listener and waits, up
    to timeouts.drain_ms, for messages in flight; only then does libmilter
    see the signal. Asserted: 250 with our headers and one summary line, exit
    status 0, "stopped" logged, pid file removed.

    Observed (engine e40b69b): after SIGTERM the in-flight session's next
    callback comes only ~5 s later (elapsed_ms=5049 instead of ~50), so a
    drain_ms below ~5 s abandons it; DRAIN_MS leaves room for that.
    """

    DRAIN_MS = 15000

    def test_sigterm_with_message_in_flight(self):
        sink, pf, d = self.start_stack(
            milter_default_action="tempfail",
            timeouts={"end_of_message_ms": 5000, "drain_ms": self.DRAIN_MS})
        s = smtplib.SMTP("127.0.0.1", pf.smtpd_port, timeout=60)
        self.addCleanup(s.close)
        s.ehlo("client.example.org")
        self.assertEqual(s.mail("sender@example.org")[0], 250)
        self.assertEqual(s.rcpt("rcpt@example.net")[0], 250)
        code, _ = s.docmd("DATA")
        self.assertEqual(code, 354)
        s.send(b"Subject: sigterm\r\nFrom: <sender@example.org>\r\n")
        t0 = time.monotonic()
        d.signal(signal.SIGTERM)
        # the daemon closes the listener at once (bounded wait)
        wait_until(lambda: not d.milter.socket.listening(), 15)
        s.send(b"\r\nbody after SIGTERM\r\n.\r\n")
        code, resp = s.getreply()
        try:
            s.quit()
        except smtplib.SMTPException:
            pass
        rc = d.wait_exit(30)
        elapsed = time.monotonic() - t0
        log = d.log_text()
        self.assertEqual(rc, 0, f"daemon exit status {rc} (negative: killed by that "
                                f"signal); log:\n{log}")
        self.assertIn("info: stopped", log)
        self.assertLess(elapsed, self.DRAIN_MS / 1000 + 20, log)
        self.assertFalse(os.path.exists(d.pid_file), "pid file left behind")
        self.assertEqual(code, 250, f"{code} {resp!r}: the message in flight was not "
                                    f"finished by the daemon; log:\n{log}")
        msg = sink.wait_for_messages(1, timeout=60)[0]
        self.assertEqual(len(ar_values(msg)), 1, "delivered without our headers")
        lines = d.summaries()
        self.assertEqual(len(lines), 1, log)
        self.assertSummary(lines[0], verdict="accept")

    def test_sigterm_idle_exits_zero(self):
        sink, pf, d = self.start_stack()
        res = pf.send(headers={"Subject": "before"})
        self.assertReply(res, 250)
        d.signal(signal.SIGTERM)
        rc = d.wait_exit(30)
        self.assertEqual(rc, 0, d.log_text())
        self.assertIn("info: stopped", d.log_text())
        self.assertFalse(os.path.exists(d.pid_file), "pid file left behind")


if __name__ == "__main__":
    unittest.main()
