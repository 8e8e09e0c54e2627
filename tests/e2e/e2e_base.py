"""Shared unittest base class for the Portcullis e2e tests.

    class TestX(E2ETestCase):
        def test_y(self):
            sink = self.start_sink()
            milter = self.start_milter([portcullis_bin(), ...], "unix:" + ...)
            pf = self.start_postfix(sink, smtpd_milters=milter.postfix_spec)

Every resource is registered with addCleanup *before* it is started, so a
failing start or assertion still stops processes (by PID) and removes dirs.
Set PORTCULLIS_E2E_VERBOSE=1 to print the Postfix log and milter stderr at
cleanup, PORTCULLIS_E2E_KEEP=1 to keep the temp dirs.
"""

from __future__ import annotations

import os
import sys
import unittest
from typing import Any, Optional, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from milter_fixture import MilterProcess, portcullis_bin  # noqa: E402,F401
from postfix_instance import PostfixInstance  # noqa: E402
from sink import SmtpSink  # noqa: E402

VERBOSE = os.environ.get("PORTCULLIS_E2E_VERBOSE") == "1"


def require_root() -> None:
    if os.geteuid() != 0:
        raise RuntimeError("the e2e tests must run as root (private Postfix "
                           "instance: postfix -c DIR start, postqueue -c DIR)")


class E2ETestCase(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls) -> None:
        require_root()

    def start_sink(self, **kw: Any) -> SmtpSink:
        sink = SmtpSink(**kw)
        self.addCleanup(sink.stop)
        return sink.start()

    def start_postfix(self, sink: SmtpSink, **kw: Any) -> PostfixInstance:
        pf = PostfixInstance(sink.port, **kw)
        self.addCleanup(pf.cleanup)
        if VERBOSE:
            self.addCleanup(lambda: print(f"\n--- maillog {pf.maillog}\n{pf.log_text()}"))
        return pf.start()

    def new_postfix(self, sink: SmtpSink, **kw: Any) -> PostfixInstance:
        """Created (temp dir exists, e.g. for milter sockets in pf.run_dir)
        but not started; cleanup registered."""
        pf = PostfixInstance(sink.port, **kw)
        self.addCleanup(pf.cleanup)
        if VERBOSE:
            self.addCleanup(lambda: print(f"\n--- maillog {pf.maillog}\n{pf.log_text()}"))
        return pf

    def start_milter(self, argv: Sequence[str], socket_spec: str, workdir: str,
                     timeout: float = 15.0, **kw: Any) -> MilterProcess:
        m = MilterProcess(argv, socket_spec, workdir, **kw)
        self.addCleanup(m.stop)
        if VERBOSE:
            self.addCleanup(lambda: print(f"\n--- {m.name} stderr\n{m.stderr_text()}"))
        return m.start(timeout=timeout)

    def assertReply(self, result: Any, code: int, enhanced: Optional[str] = None,
                    text_contains: Optional[str] = None) -> None:
        """Assert the final SMTP reply of a swaks run."""
        r = result.final_reply
        self.assertIsNotNone(r, f"no SMTP reply parsed\n{result.transcript}")
        self.assertEqual(r.code, code, f"final reply {r.full!r}\n{result.transcript}")
        if enhanced is not None:
            self.assertEqual(r.enhanced, enhanced, f"final reply {r.full!r}")
        if text_contains is not None:
            self.assertIn(text_contains, r.text, f"final reply {r.full!r}")
