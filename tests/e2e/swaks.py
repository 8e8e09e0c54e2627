"""swaks wrapper + SMTP transcript parser for the Portcullis e2e tests.

swaks (Debian package `swaks`) prints a transcript where
    "=== " is swaks commentary, "-> " a line the client sent,
    "<- " a server reply line that swaks considered OK,
    "<** " a server reply line that swaks considered an error (4xx/5xx),
    "*** " a swaks error (e.g. connection refused, timeout).
swaks exit codes (swaks(1) "EXIT CODES"): 0 ok, 2 connect error,
6 connection closed unexpectedly, 21 banner, 22 HELO, 23 MAIL,
24 no RCPT accepted, 25 DATA command, 26 not accepted after end of data,
27 error after QUIT, 28 AUTH, 29 TLS, 33 XCLIENT.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

SWAKS = os.environ.get("SWAKS", "swaks")

SWAKS_EXIT = {
    0: "ok", 1: "bad options", 2: "connect error", 6: "connection closed",
    21: "banner", 22: "helo", 23: "mail", 24: "no rcpt accepted", 25: "data command",
    26: "end of data", 27: "quit", 28: "auth", 29: "tls", 33: "xclient",
}

_REPLY_RE = re.compile(r"^(<-|<\*\*|<~|<~\*)\s+(\d{3})([ -])(.*)$")
_ENH_RE = re.compile(r"^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)(.*)$", re.S)


@dataclass
class SmtpReply:
    code: int
    lines: List[str]                 # text part of each line (after "NNN-" / "NNN ")
    command: str = ""                # client command this answers ("" = banner)
    error: bool = False              # swaks marked it "<**"

    @property
    def enhanced(self) -> Optional[str]:
        m = _ENH_RE.match(self.lines[0]) if self.lines else None
        return m.group(1) if m else None

    @property
    def text(self) -> str:
        """All lines joined by "\\n", enhanced status code of the first line
        stripped (it is available via .enhanced)."""
        out = []
        for ln in self.lines:
            m = _ENH_RE.match(ln)
            out.append(m.group(2) if m else ln)
        return "\n".join(out)

    @property
    def full(self) -> str:
        """The reply as on the wire, single line per SMTP line, no CRLF."""
        n = len(self.lines)
        return "\n".join(f"{self.code}{'-' if i < n - 1 else ' '}{ln}"
                         for i, ln in enumerate(self.lines))

    def __str__(self) -> str:
        return self.full


@dataclass
class SwaksResult:
    returncode: int
    transcript: str
    argv: List[str] = field(default_factory=list)

    # tuple-like unpacking: code, transcript = instance.send(...)
    def __iter__(self):
        return iter((self.returncode, self.transcript))

    @property
    def replies(self) -> List[SmtpReply]:
        return parse_replies(self.transcript)

    @property
    def final_reply(self) -> Optional[SmtpReply]:
        return final_reply(self.transcript)

    def reply_to(self, command_prefix: str) -> Optional[SmtpReply]:
        """Last reply answering a command that starts with `command_prefix`
        (case-insensitive), e.g. "MAIL", "RCPT TO:<b@x>", "DATA", "." (end
        of data is reported as command "." )."""
        p = command_prefix.upper()
        hits = [r for r in self.replies if r.command.upper().startswith(p)]
        return hits[-1] if hits else None

    @property
    def queue_id(self) -> Optional[str]:
        r = self.reply_to(".")
        if r and r.code == 250:
            m = re.search(r"queued as ([0-9A-Za-z]+)", r.text)
            if m:
                return m.group(1)
        return None

    def __str__(self) -> str:
        return f"swaks exit {self.returncode}\n{self.transcript}"


def parse_replies(transcript: str) -> List[SmtpReply]:
    """Group the server reply lines of a swaks transcript into replies and
    attach to each the client command it answers.  The message body is
    collapsed into one pseudo command "." (the end-of-data reply)."""
    replies: List[SmtpReply] = []
    sent: List[str] = []            # client lines not yet answered
    in_data = False
    cur: Optional[SmtpReply] = None
    for raw in transcript.splitlines():
        m = _REPLY_RE.match(raw)
        if m:
            code, sep, text = int(m.group(2)), m.group(3), m.group(4)
            if cur is None:
                if in_data:
                    cmd = "."
                    in_data = False
                else:
                    cmd = sent.pop(0) if sent else ""
                cur = SmtpReply(code=code, lines=[], command=cmd,
                                error=m.group(1) in ("<**", "<~*"))
            cur.lines.append(text)
            if sep == " ":
                if cur.command.upper() == "DATA" and cur.code == 354:
                    in_data = True
                replies.append(cur)
                cur = None
            continue
        if raw.startswith(" -> ") or raw.startswith(" ~> "):
            line = raw[4:]
            if in_data:
                continue            # header/body lines; "." handled above
            sent.append(line)
    if cur is not None:
        replies.append(cur)
    return replies


def final_reply(transcript: str) -> Optional[SmtpReply]:
    """The reply that decided the transaction: the last reply that does not
    answer QUIT (i.e. the end-of-data reply on success, or the first error
    reply that made swaks give up)."""
    reps = [r for r in parse_replies(transcript) if r.command.upper() != "QUIT"]
    return reps[-1] if reps else None


def dot_stuff_crlf(data: bytes) -> bytes:
    """Normalise to CRLF, dot-stuff and append the terminating '.'
    (without trailing CRLF; swaks adds it) - for --no-data-fixup."""
    data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if data and not data.endswith(b"\r\n"):
        data += b"\r\n"
    lines = data.split(b"\r\n")
    stuffed = [b"." + ln if ln.startswith(b".") else ln for ln in lines]
    return b"\r\n".join(stuffed) + b"."


def run_swaks(port: int, *, server: str = "127.0.0.1",
              from_: Optional[str] = "sender@example.org",
              to: Union[str, Sequence[str], None] = "rcpt@example.net",
              headers: Union[Dict[str, str], Iterable[str], None] = None,
              add_headers: Iterable[str] = (),
              body: Optional[str] = None,
              data: Optional[Union[str, bytes]] = None,
              data_file: Optional[str] = None,
              raw_data: bool = False,
              helo: Optional[str] = "client.example.org",
              extra_args: Sequence[str] = (),
              timeout: float = 60.0,
              swaks_timeout: str = "30s",
              tmpdir: Optional[str] = None) -> SwaksResult:
    """Run swaks against server:port and return (exit code, transcript).

    headers:    {"Subject": "x"} or ["Subject: x"]  -> --header (replaces a
                same-named header of swaks' default template)
    add_headers: ["X-Foo: bar"] -> --add-header (always appended)
    body:       --body text
    data:       full message (headers + body).  With raw_data=True it is sent
                byte-exact (CRLF-normalised, dot-stuffed here) using
                --no-data-fixup, so swaks does no token (%DATE%, "\\n")
                replacement; otherwise swaks' normal data processing applies.
    data_file:  path passed as --data (swaks fixups apply unless raw_data).
    to:         one address or several (comma-joined for swaks -t).
    """
    argv = [SWAKS, "--server", f"{server}:{port}", "--timeout", swaks_timeout]
    if from_ is not None:
        argv += ["--from", from_]
    if to is not None:
        argv += ["--to", to if isinstance(to, str) else ",".join(to)]
    if helo is not None:
        argv += ["--helo", helo]
    if headers:
        items = headers.items() if isinstance(headers, dict) else None
        if items is not None:
            for k, v in items:
                argv += ["--header", f"{k}: {v}"]
        else:
            for h in headers:  # type: ignore[union-attr]
                argv += ["--header", h]
    for h in add_headers:
        argv += ["--add-header", h]
    if body is not None:
        argv += ["--body", body]
    tmp_to_remove = None
    if data is not None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if raw_data:
            raw = dot_stuff_crlf(raw)
        fd, tmp_to_remove = tempfile.mkstemp(prefix="swaks-data-", suffix=".eml", dir=tmpdir)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        data_file = tmp_to_remove
    if data_file is not None:
        argv += ["--data", data_file]
        if raw_data:
            argv += ["--no-data-fixup"]
    argv += list(extra_args)
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        return SwaksResult(p.returncode, out, argv)
    finally:
        if tmp_to_remove:
            try:
                os.unlink(tmp_to_remove)
            except OSError:
                pass
