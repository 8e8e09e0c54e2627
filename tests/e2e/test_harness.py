"""Self-test of the e2e harness (no Portcullis binary needed).

Run from the repository root:
    python3 -m unittest -v tests/e2e/test_harness.py
"""

from __future__ import annotations

import os
import sys
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from e2e_base import E2ETestCase  # noqa: E402
from milter_fixture import SocketSpec  # noqa: E402
from swaks import final_reply, parse_replies  # noqa: E402

# A stand-in "milter" for the fixture test: listens on a unix socket, logs
# to stderr, and hangs up on every connection (so Postfix sees a broken
# milter and applies milter_default_action).  Exits on SIGTERM.
HANGUP_MILTER = textwrap.dedent(r"""
    import os, signal, socket, sys
    path = sys.argv[1]
    signal.signal(signal.SIGTERM, lambda *a: (print("got SIGTERM", file=sys.stderr, flush=True),
                                              os._exit(0)))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path); os.chmod(path, 0o666); s.listen(16)
    print("listening on", path, file=sys.stderr, flush=True)
    for _ in range(1000):                       # bounded
        c, _ = s.accept()
        print("connection; hanging up", file=sys.stderr, flush=True)
        c.close()
""")

TRANSCRIPT_RCPT_REJECT = """\
=== Trying 127.0.0.1:2525...
=== Connected to 127.0.0.1.
<-  220 mx ESMTP
 -> EHLO client
<-  250-mx
<-  250 PIPELINING
 -> MAIL FROM:<a@example.org>
<-  250 2.1.0 Ok
 -> RCPT TO:<b@example.net>
<** 550 5.7.1 No thanks
 -> QUIT
<-  221 2.0.0 Bye
=== Connection closed with remote host.
"""

TRANSCRIPT_DATA_OK = """\
<-  220 mx ESMTP
 -> EHLO client
<-  250 mx
 -> MAIL FROM:<a@example.org>
<-  250 2.1.0 Ok
 -> RCPT TO:<b@example.net>
<-  250 2.1.5 Ok
 -> DATA
<-  354 End data with <CR><LF>.<CR><LF>
 -> Subject: x
 -> 
 -> body
 -> .
<** 451-4.7.1 first line
<** 451 4.7.1 second line
 -> QUIT
<-  221 2.0.0 Bye
"""


class TranscriptParserTest(unittest.TestCase):
    def test_rcpt_reject(self):
        r = final_reply(TRANSCRIPT_RCPT_REJECT)
        self.assertEqual((r.code, r.enhanced, r.text), (550, "5.7.1", "No thanks"))
        self.assertEqual(r.command, "RCPT TO:<b@example.net>")

    def test_end_of_data_multiline(self):
        reps = parse_replies(TRANSCRIPT_DATA_OK)
        self.assertEqual([x.command for x in reps],
                         ["", "EHLO client", "MAIL FROM:<a@example.org>",
                          "RCPT TO:<b@example.net>", "DATA", ".", "QUIT"])
        r = final_reply(TRANSCRIPT_DATA_OK)
        self.assertEqual(r.code, 451)
        self.assertEqual(r.enhanced, "4.7.1")
        self.assertEqual(r.text, "first line\nsecond line")

    def test_socket_specs(self):
        self.assertEqual(SocketSpec.parse("inet:8899@127.0.0.1").postfix_spec(),
                         "inet:127.0.0.1:8899")
        self.assertEqual(SocketSpec.parse("inet:127.0.0.1:8899").libmilter_spec(),
                         "inet:8899@127.0.0.1")
        self.assertEqual(SocketSpec.parse("local:/x/s").postfix_spec(), "unix:/x/s")
        self.assertEqual(SocketSpec.parse("inet6:[::1]:25").libmilter_spec(), "inet6:25@::1")


class HarnessTest(E2ETestCase):
    def test_no_milter_delivers_with_subject_intact(self):
        sink = self.start_sink()
        pf = self.start_postfix(sink)
        res = pf.send(headers={"Subject": "harness smoke äöü"}, body="hello\n.dot line\n")
        self.assertEqual(res.returncode, 0, res.transcript)
        self.assertReply(res, 250, "2.0.0", "queued as")
        qid = res.queue_id
        self.assertTrue(qid)
        (msg,) = sink.wait_for_messages(1, timeout=30)
        self.assertEqual(msg.mail_from, "sender@example.org")
        self.assertEqual(msg.rcpt_tos, ["rcpt@example.net"])
        self.assertEqual(msg.header("Subject"), "harness smoke äöü")
        self.assertIn(f"with ESMTP id {qid}", msg.headers("Received")[0])
        self.assertIn(b"\r\n.dot line\r\n", msg.body_bytes)       # dot-(un)stuffing
        pf.wait_queue_empty(timeout=30)
        self.assertTrue(pf.log_lines(rf"{qid}: to=<rcpt@example.net>.*status=sent"))

    def test_raw_data_is_byte_exact(self):
        sink = self.start_sink()
        pf = self.start_postfix(sink)
        raw = (b"From: a@example.org\r\nTo: b@example.net\r\n"
               b"Subject: folded\r\n\tsecond line\r\n"
               b"X-Test:   three spaces\r\nX-Tab:\tvalue\r\n"
               b"\r\n.leading dot\r\n..two dots\r\n%DATE% \\n stays\r\n")
        res = pf.send(data=raw, raw_data=True, from_="a@example.org", to="b@example.net")
        self.assertReply(res, 250)
        (msg,) = sink.wait_for_messages(1, timeout=30)
        self.assertEqual(msg.headers("Subject"), [" folded\r\n\tsecond line"])
        self.assertEqual(msg.headers("X-Test"), ["   three spaces"])
        self.assertEqual(msg.headers("X-Tab"), ["\tvalue"])
        self.assertEqual(msg.body_bytes, b".leading dot\r\n..two dots\r\n%DATE% \\n stays\r\n")

    def test_xclient_spoofed_client(self):
        sink = self.start_sink()
        pf = self.start_postfix(sink, relay_domains="example.net")
        res = pf.send("--xclient-addr", "192.0.2.7", "--xclient-name", "spoofed.example",
                      to="rcpt@example.net")
        self.assertReply(res, 250)
        (msg,) = sink.wait_for_messages(1, timeout=30)
        self.assertIn("(spoofed.example [192.0.2.7])", msg.headers("Received")[0])
        res = pf.send("--xclient-addr", "192.0.2.7", to="x@elsewhere.test")
        self.assertReply(res, 554, "5.7.1", "Recipient address rejected: Access denied")

    def test_unreachable_milter_tempfail(self):
        sink = self.start_sink()
        pf = self.new_postfix(sink, milter_default_action="tempfail")
        pf.set_main_cf(reload=False, smtpd_milters="unix:" + pf.path("run", "nobody.sock"))
        pf.start()
        res = pf.send(headers={"Subject": "should be deferred"})
        self.assertEqual(res.returncode, 23, res.transcript)     # swaks: failed at MAIL
        self.assertReply(res, 451, "4.7.1", "Service unavailable - try again later")
        self.assertEqual(res.final_reply.command, "MAIL FROM:<sender@example.org>")
        pf.wait_for_log(r"warning: connect to Milter service unix:\S+nobody\.sock: "
                        r"No such file or directory")
        pf.wait_for_log(r"NOQUEUE: milter-reject: MAIL from localhost\[127\.0\.0\.1\]: "
                        r"451 4\.7\.1 Service unavailable - try again later")
        self.assertEqual(sink.messages, [])
        self.assertEqual(pf.queue(), [])

    def test_unreachable_milter_accept(self):
        sink = self.start_sink()
        pf = self.new_postfix(sink, milter_default_action="accept",
                              smtpd_milters="inet:127.0.0.1:1")
        pf.start()
        res = pf.send(headers={"Subject": "delivered anyway"})
        self.assertReply(res, 250, "2.0.0")
        (msg,) = sink.wait_for_messages(1, timeout=30)
        self.assertEqual(msg.header("Subject"), "delivered anyway")
        pf.wait_for_log(r"warning: connect to Milter service inet:127\.0\.0\.1:1: "
                        r"Connection refused")

    def test_milter_fixture_with_hangup_milter(self):
        sink = self.start_sink()
        pf = self.new_postfix(sink, milter_default_action="tempfail")
        sock = pf.path("run", "hangup.sock")
        m = self.start_milter([sys.executable, "-c", HANGUP_MILTER, sock],
                              "unix:" + sock, pf.run_dir, name="hangup")
        self.assertTrue(m.running())
        pf.set_main_cf(reload=False, smtpd_milters=m.postfix_spec)
        pf.start()
        res = pf.send(headers={"Subject": "x"})
        self.assertReply(res, 451, "4.7.1")
        pf.wait_for(lambda: "connection; hanging up" in m.stderr_text(), 10,
                    message="milter saw the connection")
        self.assertEqual(m.stop(), 0)
        self.assertIn("got SIGTERM", m.stderr_text())
        self.assertFalse(m.running())

    def test_milter_fixture_reports_early_exit(self):
        sink = self.start_sink()
        pf = self.new_postfix(sink)
        with self.assertRaisesRegex(RuntimeError, r"(?s)exited with 3.*boom"):
            self.start_milter([sys.executable, "-c",
                               "import sys; print('boom', file=sys.stderr); sys.exit(3)"],
                              "unix:" + pf.path("run", "never.sock"), pf.run_dir,
                              timeout=10)


if __name__ == "__main__":
    unittest.main()
