"""End-to-end: greylisting behind a real private Postfix, on both stores.

LMDB (the default): the first attempt gets 451 4.7.1, a retry too early gets
451 again, the entry survives a daemon restart, and a retry after the delay
is delivered. Redis: two gateways (each its own Postfix and daemon) sharing
one real redis-server see each other's entries, and a Redis that dies
mid-run makes greylisting fail open until it returns.

The client address is set with XCLIENT (the harness trusts it from
127.0.0.0/8), because loopback clients are never greylisted by default.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from portcullis_fixture import PortcullisTestCase  # noqa: E402
from redis_fixture import RedisServer  # noqa: E402

CLIENT = "192.0.2.50"
OTHER_CLIENT = "198.51.100.77"  # another /24: a separate triplet
DELAY_S = 2
# The greylist options every test uses: a short delay so that the tests can
# retry after it; no DNS-based skip rule (no resolver in these tests).
GREYLIST = {"delay": DELAY_S, "skip": {"spf_pass": False}}


class GreylistTestCase(PortcullisTestCase):
    def send_as(self, pf, client: str, sender: str, rcpt: str = "rcpt@example.net"):
        return pf.send("--xclient-addr", client, "--xclient-name", "[UNAVAILABLE]",
                       from_=sender, to=rcpt, headers={"Subject": "greylist"})

    def gateway(self, sink, **config):
        """A Postfix relaying to `sink` with its own daemon in front."""
        pf = self.new_postfix(sink, relay_domains="example.net")
        d = self.start_portcullis(pf, listen="inet", **config)
        pf.set_main_cf(reload=False, smtpd_milters=d.postfix_spec)
        pf.start()
        return pf, d

    def start_redis(self) -> RedisServer:
        workdir = tempfile.mkdtemp(prefix="pcredis-")
        self.addCleanup(shutil.rmtree, workdir, True)
        redis = RedisServer(workdir=workdir)
        self.addCleanup(redis.stop)
        redis.start()
        return redis

    def redis_store(self, redis: RedisServer):
        return {"backend": "redis",
                "redis": {"host": "127.0.0.1", "port": redis.port, "call_timeout_ms": 200,
                          "backoff_min_ms": 100, "backoff_max_ms": 500}}


class TestLmdb(GreylistTestCase):
    def test_first_attempt_early_retry_restart_and_delivery(self):
        sink = self.start_sink()
        pf, d = self.gateway(sink, checks={"greylist": GREYLIST})

        first = time.monotonic()
        res = self.send_as(pf, CLIENT, "alice@sender.example")
        self.assertReply(res, 451, "4.7.1", "retry")
        res = self.send_as(pf, CLIENT, "alice@sender.example")
        self.assertReply(res, 451, "4.7.1")

        # The entry is in LMDB under the state directory, not in memory.
        d.stop()
        d.start()

        wait = first + DELAY_S + 0.5 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        mark = d.log_mark()
        res = self.send_as(pf, CLIENT, "alice@sender.example")
        self.assertReply(res, 250)
        self.assertEqual(len(sink.wait_for_messages(1, timeout=60)), 1)
        line = d.wait_for_summaries(1, since=mark)[0]
        self.assertIn("GREYLIST_PASSED", line["symbols"])

        # Sub-address and case differences are the same sender; a known
        # triplet goes through at once.
        res = self.send_as(pf, CLIENT, "Alice+news@Sender.Example")
        self.assertReply(res, 250)
        # Another client network is a new triplet.
        res = self.send_as(pf, OTHER_CLIENT, "alice@sender.example")
        self.assertReply(res, 451, "4.7.1")

    def test_admin_command_allowlists_a_network(self):
        sink = self.start_sink()
        pf, d = self.gateway(sink, checks={"greylist": GREYLIST})
        res = self.send_as(pf, CLIENT, "bob@sender.example")
        self.assertReply(res, 451, "4.7.1")

        listed = self.run_portcullis(["greylist", "list", "-c", d.config_path])
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("bob@sender.example", listed.stdout)

        allowed = self.run_portcullis(["greylist", "allow", CLIENT, "-c", d.config_path])
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        res = self.send_as(pf, CLIENT, "carol@sender.example")
        self.assertReply(res, 250)


class TestRedis(GreylistTestCase):
    def test_two_gateways_share_entries(self):
        redis = self.start_redis()
        sink = self.start_sink()
        config = {"checks": {"greylist": GREYLIST}, "store": self.redis_store(redis)}
        pf_a, d_a = self.gateway(sink, name="gateway-a", **config)
        pf_b, d_b = self.gateway(sink, name="gateway-b", **config)

        first = time.monotonic()
        self.assertReply(self.send_as(pf_a, CLIENT, "dave@sender.example"), 451, "4.7.1")
        # Too early at the other gateway too: it sees A's entry.
        self.assertReply(self.send_as(pf_b, CLIENT, "dave@sender.example"), 451, "4.7.1")
        wait = first + DELAY_S + 0.5 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        mark = d_b.log_mark()
        self.assertReply(self.send_as(pf_b, CLIENT, "dave@sender.example"), 250)
        line = d_b.wait_for_summaries(1, since=mark)[0]
        self.assertIn("GREYLIST_PASSED", line["symbols"])
        self.assertEqual(len(sink.wait_for_messages(1, timeout=60)), 1)

    def test_redis_outage_fails_open_and_recovers(self):
        redis = self.start_redis()
        sink = self.start_sink()
        pf, d = self.gateway(sink, checks={"greylist": GREYLIST}, store=self.redis_store(redis))
        self.assertReply(self.send_as(pf, CLIENT, "erin@sender.example"), 451, "4.7.1")

        redis.stop()
        mark = d.log_mark()
        started = time.monotonic()
        res = self.send_as(pf, CLIENT, "frank@sender.example")
        self.assertReply(res, 250)
        self.assertLess(time.monotonic() - started, 10, "the MTA waited on a dead Redis")
        line = d.wait_for_summaries(1, since=mark)[0]
        self.assertIn("GREYLIST_STORE_ERROR", line["symbols"])
        # Still open, and the outage is logged once per interval, not per message.
        self.assertReply(self.send_as(pf, CLIENT, "grace@sender.example"), 250)
        d.wait_for_summaries(2, since=mark)
        self.assertEqual(d.log_text(mark).count("greylist: store error"), 1,
                         d.log_text(mark))

        redis.start()
        # Reconnects after its backoff; a new triplet is greylisted again.
        deadline = time.monotonic() + 15
        while True:
            res = self.send_as(pf, CLIENT, "heidi@sender.example")
            if res.final_reply is not None and res.final_reply.code == 451:
                break
            self.assertLess(time.monotonic(), deadline,
                            f"greylisting did not resume after Redis returned\n{res.transcript}")
            time.sleep(0.5)


if __name__ == "__main__":
    unittest.main()
