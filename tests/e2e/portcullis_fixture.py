"""Run the real Portcullis daemon (`portcullis serve -c CONFIG`) in e2e tests.

    class TestX(PortcullisTestCase):
        def test_y(self):
            sink = self.start_sink()
            pf = self.new_postfix(sink)
            d = self.start_portcullis(pf, checks={"bare_lf": {}})      # inet loopback
            pf.set_main_cf(reload=False, smtpd_milters=d.postfix_spec)
            pf.start()
            res = pf.send(...)
            line = d.wait_for_summaries(1)[0]       # parsed summary log line
            self.assertEqual(line["verdict"], "accept")

The config is written per test from Python values (`lua()` turns dicts,
lists, strings, numbers and booleans into a Lua table constructor; `Lua("...")`
inserts raw Lua).  Every top-level key is on its own line, so check-config
errors can be matched by line number (`PortcullisConfig.line_of(key)`).
state_dir, pid_file and the unix socket live under the test's temp dir;
metrics are off unless asked for.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from e2e_base import E2ETestCase, VERBOSE  # noqa: F401
from milter_fixture import MilterProcess, portcullis_bin
from postfix_instance import PostfixInstance, free_port, wait_until

AUTHSERV_ID = "mx.portcullis.test"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_DIR = os.path.join(REPO_ROOT, "tests", "data", "e2e")


def data_path(*parts: str) -> str:
    return os.path.join(DATA_DIR, *parts)


# ---------------------------------------------------------------- Lua values
class Lua:
    """Raw Lua source inserted verbatim by lua()."""

    def __init__(self, text: str) -> None:
        self.text = text


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def lua_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%03d" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def lua(value: Any) -> str:
    """A Python value as a Lua expression (single line)."""
    if isinstance(value, Lua):
        return value.text
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return lua_string(value)
    if isinstance(value, (list, tuple)):
        return "{ " + ", ".join(lua(v) for v in value) + " }" if value else "{}"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = []
        for k, v in value.items():
            key = k if isinstance(k, str) and _IDENT.match(k) else f"[{lua(k)}]"
            items.append(f"{key} = {lua(v)}")
        return "{ " + ", ".join(items) + " }"
    raise TypeError(f"cannot express {value!r} in Lua")


class PortcullisConfig:
    """The top-level settings of one config file, in order.  render() writes
    one `key = value` line per setting after a comment header line."""

    def __init__(self, settings: Dict[str, Any], header: str = "") -> None:
        self.settings = dict(settings)
        self.header = header or "-- written by tests/e2e/portcullis_fixture.py"

    def render(self) -> str:
        lines = [self.header]
        for k, v in self.settings.items():
            lines.append(f"{k} = {lua(v)}")
        return "\n".join(lines) + "\n"

    def line_of(self, key: str) -> int:
        """1-based line number of top-level `key` in render()."""
        return 2 + list(self.settings).index(key)

    def write(self, path: str) -> str:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(self.render())
        os.replace(tmp, path)      # a reload never reads a half-written file
        return path


# ------------------------------------------------------------ summary lines
_SUMMARY_RE = re.compile(r"\bqueue_id=\S+ client=")
_FIELD_RE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\[[^\]]*\]|<[^>]*>(?:,<[^>]*>)*(?:,\+\d+ more)?|\S*)')


def our_auth_results(msg) -> str:
    """The Authentication-Results value our daemon added to a sink message
    (the one naming AUTHSERV_ID), unfolded."""
    for value in msg.headers("Authentication-Results"):
        flat = " ".join(part.strip() for part in value.split("\r\n")).strip()
        if re.match(rf"^{re.escape(AUTHSERV_ID)}\s*;", flat):
            return flat
    raise AssertionError(f"no A-R of ours in\n{msg.header_bytes.decode()}")


def parse_summary(line: str) -> Dict[str, str]:
    """Fields of one summary log line.  Quoted values lose their quotes;
    [..] and <..> values are kept as written.  The log prefix is in
    '_prefix' (timestamp, program[pid], level)."""
    m = _SUMMARY_RE.search(line)
    if not m:
        raise ValueError(f"not a summary line: {line!r}")
    fields: Dict[str, str] = {"_prefix": line[: m.start()], "_line": line}
    for fm in _FIELD_RE.finditer(line, m.start()):
        v = fm.group(2)
        if v.startswith('"') and v.endswith('"') and len(v) >= 2:
            v = v[1:-1]
        fields[fm.group(1)] = v
    return fields


def is_summary(line: str) -> bool:
    return bool(_SUMMARY_RE.search(line))


# ------------------------------------------------------------------- daemon
class PortcullisDaemon:
    """One `portcullis serve` process with its own config file.

    listen: "inet" (free loopback port) or "unix" (socket in `workdir`,
    socket_mode 0666 so that smtpd, user postfix, can connect)."""

    def __init__(self, workdir: str, listen: str = "inet", name: str = "portcullis",
                 **config: Any) -> None:
        self.workdir = workdir
        self.name = name
        os.makedirs(workdir, exist_ok=True)
        self.config_path = os.path.join(workdir, f"{name}.lua")
        self.state_dir = os.path.join(workdir, f"{name}-state")
        self.pid_file = os.path.join(self.state_dir, f"{name}.pid")
        if listen == "inet":
            self.listen_spec = f"inet:{free_port()}@127.0.0.1"
        elif listen == "unix":
            self.listen_spec = f"unix:{os.path.join(workdir, name + '.sock')}"
        else:
            self.listen_spec = listen
        self.config: Optional[PortcullisConfig] = None
        self.write_config(**config)
        self.milter = MilterProcess([portcullis_bin(), "serve", "-c", self.config_path],
                                    self.listen_spec, workdir, name=name)

    # config ---------------------------------------------------------------
    def base_settings(self) -> Dict[str, Any]:
        s: Dict[str, Any] = {"listen": self.listen_spec}
        if self.listen_spec.startswith("unix:"):
            s["socket_mode"] = "0666"
        s.update({
            "authserv_id": AUTHSERV_ID,
            "state_dir": self.state_dir,
            "pid_file": self.pid_file,
            "log": {"target": "stderr", "level": "info"},
            "metrics": {"listen": ""},
            # well below the harness' milter_content_timeout (20s)
            "timeouts": {"end_of_message_ms": 5000, "drain_ms": 10000},
        })
        return s

    def write_config(self, checks: Optional[Dict[str, Any]] = None,
                     policy_file: Optional[str] = None,
                     raw: Optional[str] = None, **extra: Any) -> str:
        """(Re)write the config.  checks -> `checks = {...}`; policy_file ->
        policy.file; extra top-level keys override the defaults (e.g.
        metrics={"listen": "127.0.0.1:PORT"}); raw replaces the whole file
        (for syntax errors)."""
        if raw is not None:
            tmp = self.config_path + ".tmp"
            with open(tmp, "w") as f:
                f.write(raw)
            os.replace(tmp, self.config_path)
            return self.config_path
        s = self.base_settings()
        s.update(extra)
        if policy_file is not None:
            pol = dict(s.get("policy", {}))
            pol["file"] = policy_file
            s["policy"] = pol
        s["checks"] = checks or {}
        self.config = PortcullisConfig(s)
        return self.config.write(self.config_path)

    # lifecycle --------------------------------------------------------------
    @property
    def postfix_spec(self) -> str:
        return self.milter.postfix_spec

    @property
    def pid(self) -> Optional[int]:
        return self.milter.pid

    def start(self, timeout: float = 30.0) -> "PortcullisDaemon":
        self.milter.start(timeout=timeout)
        # The socket listens before the daemon chmods a unix socket; wait for
        # the "listening on" line that follows it.
        self.wait_for_log(r"info: listening on ", timeout=timeout)
        return self

    def running(self) -> bool:
        return self.milter.running()

    def stop(self) -> Optional[int]:
        return self.milter.stop()

    def wait_exit(self, timeout: float) -> Optional[int]:
        """Wait (bounded) for the process to exit; its exit code or None."""
        p = self.milter.proc
        if p is None:
            return self.milter.returncode
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self.milter.returncode = p.returncode
        return p.returncode

    def signal(self, sig: int) -> None:
        self.milter.signal(sig)

    def reload(self, timeout: float = 30.0) -> str:
        """SIGUSR1, then wait for "configuration reloaded" or "reload
        failed"; returns the log text written by the reload."""
        mark = self.log_mark()
        self.signal(signal.SIGUSR1)
        self.wait_for_log(r"configuration reloaded|reload failed", since=mark, timeout=timeout)
        return self.log_text(mark)

    # log --------------------------------------------------------------------
    def log_mark(self) -> int:
        try:
            return os.path.getsize(self.milter.stderr_path)
        except OSError:
            return 0

    def log_text(self, since: int = 0) -> str:
        try:
            with open(self.milter.stderr_path, "rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_for_log(self, pattern: str, since: int = 0, timeout: float = 30.0) -> re.Match:
        rx = re.compile(pattern, re.M)
        m = wait_until(lambda: rx.search(self.log_text(since)), timeout)
        if m is None:
            raise AssertionError(f"{self.name}: log pattern {pattern!r} not seen within "
                                 f"{timeout}s (running={self.running()}); log:\n"
                                 f"{self.log_text(since)[-4000:]}")
        return m

    def summaries(self, since: int = 0) -> List[Dict[str, str]]:
        return [parse_summary(l) for l in self.log_text(since).splitlines() if is_summary(l)]

    def wait_for_summaries(self, count: int, since: int = 0,
                           timeout: float = 30.0) -> List[Dict[str, str]]:
        """Wait until at least `count` summary lines were logged after
        `since`; returns all of them (callers assert the exact count)."""
        got = wait_until(lambda: len(self.summaries(since)) >= count, timeout)
        if not got:
            raise AssertionError(f"{self.name}: expected {count} summary line(s) within "
                                 f"{timeout}s, got {len(self.summaries(since))}; log:\n"
                                 f"{self.log_text(since)[-4000:]}")
        return self.summaries(since)


class PortcullisTestCase(E2ETestCase):
    """E2ETestCase plus start_portcullis()."""

    def new_portcullis(self, pf: Optional[PostfixInstance] = None, workdir: Optional[str] = None,
                       **kw: Any) -> PortcullisDaemon:
        if workdir is None:
            assert pf is not None, "need pf or workdir"
            workdir = pf.run_dir
        d = PortcullisDaemon(workdir, **kw)
        self.addCleanup(d.stop)
        if VERBOSE:
            self.addCleanup(lambda: print(f"\n--- {d.name} stderr\n{d.log_text()}"))
        return d

    def start_portcullis(self, pf: Optional[PostfixInstance] = None, **kw: Any
                         ) -> PortcullisDaemon:
        return self.new_portcullis(pf, **kw).start()

    def start_stack(self, listen: str = "inet", milter_default_action: str = "tempfail",
                    **config: Any) -> Tuple[Any, PostfixInstance, PortcullisDaemon]:
        """sink + Postfix (smtpd_milters = the daemon) + daemon, all started."""
        sink = self.start_sink()
        pf = self.new_postfix(sink, milter_default_action=milter_default_action)
        d = self.start_portcullis(pf, listen=listen, **config)
        pf.set_main_cf(reload=False, smtpd_milters=d.postfix_spec)
        pf.start()
        return sink, pf, d

    def run_portcullis(self, args: Sequence[str], timeout: float = 30.0
                       ) -> subprocess.CompletedProcess:
        """Run a short portcullis command (check-config, --version, ...)."""
        return subprocess.run([portcullis_bin(), *args], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, text=True)

    def assertSummary(self, fields: Dict[str, str], **expected: str) -> None:
        for k, v in expected.items():
            self.assertIn(k, fields, f"field {k} missing in {fields['_line']!r}")
            self.assertEqual(fields[k], v, f"field {k} in {fields['_line']!r}")


def smtp_transcript_reply(exc_or_reply: Any) -> Tuple[int, str]:
    """(code, text) from an smtplib reply tuple or SMTPResponseException."""
    code = getattr(exc_or_reply, "smtp_code", None)
    if code is not None:
        msg = exc_or_reply.smtp_error
    else:
        code, msg = exc_or_reply
    if isinstance(msg, bytes):
        msg = msg.decode("utf-8", "replace")
    return code, msg


def monotonic_deadline(seconds: float) -> float:
    return time.monotonic() + seconds
