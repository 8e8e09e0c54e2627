"""Minimal SMTP sink for the Portcullis end-to-end tests (stdlib only).

The private Postfix instance relays every message to this sink
(``default_transport = smtp:[127.0.0.1]:PORT``).  Each accepted message is
stored with its envelope and the *exact* DATA bytes (after dot-unstuffing,
CRLF line endings as sent by Postfix), so tests can assert header bytes,
folding and ordering precisely.

Why not ``smtp-sink -d``?  smtp-sink writes one file per message into a
directory, prefixes its own ``X-Client-Addr``/``X-Helo``/``X-Mail-From``/
``X-Rcpt-To`` lines, names files by timestamp, and offers no synchronisation
primitive: tests would have to poll the directory and strip the synthetic
lines.  This in-process sink hands back the envelope and the raw bytes
directly, lets a test block until N messages arrived (``wait_for_messages``),
and can be told to answer RCPT/DATA with a specific reply.

Protocol: EHLO/HELO/MAIL/RCPT/DATA/RSET/NOOP/QUIT (+ VRFY answered 252).
EHLO announces PIPELINING, 8BITMIME and SMTPUTF8 so that the Postfix SMTP
client does not down-convert 8-bit bodies (which would change the bytes
under test).  No CHUNKING/BDAT, no STARTTLS, no AUTH.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

MAX_LINE = 64 * 1024          # bytes per command/data line
MAX_MESSAGE = 64 * 1024 * 1024
IDLE_TIMEOUT = 60.0           # seconds a client may stay silent


@dataclass
class SinkMessage:
    """One message accepted by the sink."""

    mail_from: str                 # reverse path without <>, '' for null sender
    rcpt_tos: List[str]            # forward paths without <>
    data: bytes                    # raw DATA after dot-unstuffing, CRLF line ends,
                                   # without the terminating ".\r\n"
    helo: str = ""
    peer: Tuple[str, int] = ("", 0)
    mail_params: str = ""          # e.g. "SIZE=123 BODY=8BITMIME"
    received_at: float = field(default_factory=time.time)

    @property
    def header_bytes(self) -> bytes:
        """Raw header block (up to, not including, the empty separator line)."""
        idx = self.data.find(b"\r\n\r\n")
        if idx < 0:
            return self.data
        return self.data[: idx + 2]

    @property
    def body_bytes(self) -> bytes:
        idx = self.data.find(b"\r\n\r\n")
        return b"" if idx < 0 else self.data[idx + 4:]

    def message(self) -> email.message.Message:
        """Parsed with the compat32 policy (no header refolding/decoding)."""
        return email.message_from_bytes(self.data, policy=email.policy.compat32)

    def raw_headers(self) -> List[Tuple[str, str]]:
        """List of (name, raw value) in order; value keeps folding (CRLF+WSP)
        and the leading whitespace after the colon."""
        out: List[Tuple[str, str]] = []
        for line in self.header_bytes.decode("utf-8", "surrogateescape").split("\r\n"):
            if not line:
                continue
            if line[0] in " \t" and out:
                name, value = out[-1]
                out[-1] = (name, value + "\r\n" + line)
            else:
                name, _, value = line.partition(":")
                out.append((name, value))
        return out

    def headers(self, name: str) -> List[str]:
        """All raw values of header `name` (case-insensitive), in order."""
        return [v for n, v in self.raw_headers() if n.lower() == name.lower()]

    def header(self, name: str) -> Optional[str]:
        """First raw value of header `name` with surrounding whitespace
        stripped and folding removed, or None."""
        vals = self.headers(name)
        if not vals:
            return None
        return " ".join(part.strip() for part in vals[0].split("\r\n")).strip()


# A reply hook receives (command verb, argument, session state) and returns
# None (default behaviour) or a full reply line such as "550 5.1.1 nope".
ReplyHook = Callable[[str, str, dict], Optional[str]]


class _Handler(socketserver.StreamRequestHandler):
    timeout = IDLE_TIMEOUT

    def _send(self, line: str) -> None:
        self.wfile.write(line.encode("utf-8") + b"\r\n")
        self.wfile.flush()

    def _readline(self) -> Optional[bytes]:
        line = self.rfile.readline(MAX_LINE + 2)
        if not line:
            return None
        return line

    def handle(self) -> None:  # noqa: C901 - a small state machine
        sink: "SmtpSink" = self.server.sink  # type: ignore[attr-defined]
        state = {"helo": "", "mail_from": None, "mail_params": "", "rcpts": []}
        self._send(f"220 {sink.hostname} ESMTP portcullis-e2e-sink")
        try:
            while True:
                raw = self._readline()
                if raw is None:
                    return
                line = raw.rstrip(b"\r\n").decode("utf-8", "surrogateescape")
                verb, _, arg = line.partition(" ")
                verb = verb.upper()
                sink._log_command(line)
                hook_reply = sink.reply_hook(verb, arg, state) if sink.reply_hook else None
                if verb in ("EHLO", "HELO"):
                    state.update(helo=arg.strip(), mail_from=None, rcpts=[])
                    if hook_reply:
                        self._send(hook_reply)
                    elif verb == "EHLO":
                        self._send(f"250-{sink.hostname}")
                        self._send("250-PIPELINING")
                        self._send("250-8BITMIME")
                        self._send("250-SMTPUTF8")
                        self._send("250 ENHANCEDSTATUSCODES")
                    else:
                        self._send(f"250 {sink.hostname}")
                elif verb == "MAIL":
                    if not arg.upper().startswith("FROM:"):
                        self._send("501 5.5.4 Syntax: MAIL FROM:<address>")
                        continue
                    if state["mail_from"] is not None:
                        self._send("503 5.5.1 Error: nested MAIL command")
                        continue
                    addr, params = _split_path(arg[5:])
                    if hook_reply:
                        self._send(hook_reply)
                        continue
                    state["mail_from"], state["mail_params"], state["rcpts"] = addr, params, []
                    self._send("250 2.1.0 Ok")
                elif verb == "RCPT":
                    if state["mail_from"] is None:
                        self._send("503 5.5.1 Error: need MAIL command")
                        continue
                    if not arg.upper().startswith("TO:"):
                        self._send("501 5.5.4 Syntax: RCPT TO:<address>")
                        continue
                    addr, _params = _split_path(arg[3:])
                    if hook_reply:
                        self._send(hook_reply)
                        continue
                    state["rcpts"].append(addr)
                    self._send("250 2.1.5 Ok")
                elif verb == "DATA":
                    if not state["rcpts"]:
                        self._send("503 5.5.1 Error: need RCPT command")
                        continue
                    self._send("354 End data with <CR><LF>.<CR><LF>")
                    data = self._read_data()
                    if data is None:
                        return
                    final = sink.reply_hook("DATA-END", "", state) if sink.reply_hook else None
                    if final and not final.startswith("2"):
                        self._send(final)
                    else:
                        msg = SinkMessage(
                            mail_from=state["mail_from"],
                            rcpt_tos=list(state["rcpts"]),
                            data=data,
                            helo=state["helo"],
                            peer=self.client_address[:2],
                            mail_params=state["mail_params"],
                        )
                        n = sink._store(msg)
                        self._send(final or f"250 2.0.0 Ok: queued as SINK{n}")
                    state.update(mail_from=None, rcpts=[], mail_params="")
                elif verb == "RSET":
                    state.update(mail_from=None, rcpts=[], mail_params="")
                    self._send(hook_reply or "250 2.0.0 Ok")
                elif verb == "NOOP":
                    self._send("250 2.0.0 Ok")
                elif verb == "VRFY":
                    self._send("252 2.0.0 Cannot VRFY")
                elif verb == "QUIT":
                    self._send("221 2.0.0 Bye")
                    return
                else:
                    self._send("502 5.5.2 Error: command not recognized")
        except (ConnectionError, socket.timeout, OSError):
            return

    def _read_data(self) -> Optional[bytes]:
        chunks: List[bytes] = []
        total = 0
        while True:
            line = self._readline()
            if line is None:
                return None
            if line in (b".\r\n", b".\n"):
                return b"".join(chunks)
            if line.startswith(b"."):
                line = line[1:]          # dot-unstuffing (RFC 5321 4.5.2)
            total += len(line)
            if total > MAX_MESSAGE:
                raise ConnectionError("message too large for sink")
            chunks.append(line)


def _split_path(s: str) -> Tuple[str, str]:
    s = s.strip()
    if s.startswith("<"):
        end = s.find(">")
        if end < 0:
            return s[1:], ""
        return s[1:end], s[end + 1:].strip()
    addr, _, params = s.partition(" ")
    return addr, params.strip()


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpSink:
    """SMTP sink on 127.0.0.1:<free port>.  Use as a context manager or call
    start()/stop() (stop() is idempotent; register it with addCleanup)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0,
                 hostname: str = "sink.portcullis-e2e.test",
                 reply_hook: Optional[ReplyHook] = None) -> None:
        self.host = host
        self.hostname = hostname
        self.reply_hook = reply_hook
        self._requested_port = port
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        self._cond = threading.Condition()
        self._messages: List[SinkMessage] = []
        self.commands: List[str] = []     # every command line received, in order

    # -- lifecycle -------------------------------------------------------
    def start(self) -> "SmtpSink":
        self._server = _Server((self.host, self._requested_port), _Handler)
        self._server.sink = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.2},
                                        name="smtp-sink", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "SmtpSink":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "sink not started"
        return self._server.server_address[1]

    # -- results ---------------------------------------------------------
    def _store(self, msg: SinkMessage) -> int:
        with self._cond:
            self._messages.append(msg)
            self._cond.notify_all()
            return len(self._messages)

    def _log_command(self, line: str) -> None:
        with self._cond:
            self.commands.append(line)

    @property
    def messages(self) -> List[SinkMessage]:
        with self._cond:
            return list(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self.commands.clear()

    def wait_for_messages(self, count: int = 1, timeout: float = 30.0) -> List[SinkMessage]:
        """Block until at least `count` messages were received; return them.
        Raises TimeoutError (with what did arrive) after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"sink: expected {count} message(s), got {len(self._messages)} "
                        f"within {timeout}s")
                self._cond.wait(min(remaining, 0.5))
            return list(self._messages)

    def find(self, predicate: Callable[[SinkMessage], bool]) -> List[SinkMessage]:
        return [m for m in self.messages if predicate(m)]
