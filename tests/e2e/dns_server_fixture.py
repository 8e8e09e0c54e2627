"""Run the test DNS server (portcullis_test_dns_server) in e2e tests.

    with DnsServer(dns_server_bin(), [data_path("dns", "e2e.zone")],
                   faults=["slow.example.test=delay-300"], workdir=tmp) as dns:
        ...  # point the daemon's resolver at dns.address ("127.0.0.1:PORT")
        self.assertEqual(dns.query_log().count("udp mail.example.test MX"), 1)

The server listens on 127.0.0.1 with a free port (UDP and TCP on the same
port) and writes one query-log line per received query ("udp|tcp QNAME
QTYPE", see tests/support/dns_server/README.md for the CLI and fault modes).
stdout/stderr and the query log live in `workdir` (a temporary directory,
removed by stop(), when none is given).  stop(): SIGTERM to the PID, SIGKILL
after `term_timeout`; idempotent.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from typing import List, Optional, Sequence

START_TIMEOUT = 5.0     # seconds to wait for the "listening on" line
LISTENING_PREFIX = "listening on 127.0.0.1:"


def dns_server_bin() -> str:
    """Path of the built server from $PORTCULLIS_TEST_DNS_SERVER_BIN (or
    $PORTCULLIS_TEST_DNS_SERVER, the name tests/e2e/CMakeLists.txt uses).
    Raises (does NOT skip) when unset or not executable - a missing binary is
    a test failure."""
    path = (os.environ.get("PORTCULLIS_TEST_DNS_SERVER_BIN", "")
            or os.environ.get("PORTCULLIS_TEST_DNS_SERVER", ""))
    if not path:
        raise RuntimeError("PORTCULLIS_TEST_DNS_SERVER_BIN is not set; point it at the "
                           "built portcullis_test_dns_server (CTest sets it)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(f"PORTCULLIS_TEST_DNS_SERVER_BIN={path!r} is not an executable file")
    return path


class DnsServer:
    """A portcullis_test_dns_server child process."""

    def __init__(self, binary: str, zone_files: Sequence[str], faults: Sequence[str] = (),
                 workdir: Optional[str] = None, *, udp_max: Optional[int] = None,
                 name: str = "dns") -> None:
        # Absolute: the child runs in workdir.
        self.binary = os.path.abspath(binary)
        self.zone_files: List[str] = [os.path.abspath(z) for z in zone_files]
        self.faults: List[str] = list(faults)      # "SUFFIX=MODE"
        self.udp_max = udp_max
        self.name = name
        self._own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="portcullis-dns-")
        self.query_log_path = os.path.join(self.workdir, f"{name}.query.log")
        self.stderr_path = os.path.join(self.workdir, f"{name}.stderr")
        self.proc: Optional[subprocess.Popen] = None
        self.returncode: Optional[int] = None
        self._port = 0
        self._stderr_cache = ""

    @property
    def port(self) -> int:
        return self._port

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self._port}"

    @property
    def pid(self) -> Optional[int]:
        return self.proc.pid if self.proc else None

    def argv(self) -> List[str]:
        argv = [self.binary, "--listen", "127.0.0.1:0", "--query-log", self.query_log_path]
        for z in self.zone_files:
            argv += ["--zone", z]
        for f in self.faults:
            argv += ["--fault", f]
        if self.udp_max is not None:
            argv += ["--udp-max", str(self.udp_max)]
        return argv

    def start(self, timeout: float = START_TIMEOUT) -> "DnsServer":
        os.makedirs(self.workdir, exist_ok=True)
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=err,
                                         cwd=self.workdir, start_new_session=True)
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        line = b""
        deadline = time.monotonic() + timeout
        while b"\n" not in line:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 256)
            if not chunk:           # exited (bad zone, bad args) before listening
                break
            line += chunk
        text = line.decode("utf-8", "replace").split("\n", 1)[0]
        if not text.startswith(LISTENING_PREFIX) or not text[len(LISTENING_PREFIX):].isdigit():
            self.stop()
            raise RuntimeError(f"{self.name}: no 'listening on' line within {timeout}s "
                               f"(exit {self.returncode}, stdout {text!r}); stderr:\n"
                               f"{self.stderr_text()[-4000:]}")
        self._port = int(text[len(LISTENING_PREFIX):])
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, term_timeout: float = 2.0, kill_timeout: float = 5.0) -> Optional[int]:
        """SIGTERM, wait up to term_timeout, then SIGKILL.  Returns the exit
        code (0 after a clean SIGTERM; negative = killed by signal).  Removes
        the workdir when this object created it.  Safe to call repeatedly."""
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    self.proc.send_signal(signal.SIGTERM)
                    self.proc.wait(timeout=term_timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    try:
                        self.proc.wait(timeout=kill_timeout)
                    except subprocess.TimeoutExpired:
                        pass
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.returncode = self.proc.returncode
        if self._own_workdir and os.path.isdir(self.workdir):
            self._stderr_cache = self.stderr_text()
            shutil.rmtree(self.workdir, ignore_errors=True)
        return self.returncode

    def query_log(self) -> List[str]:
        """Lines of the query log so far, e.g. "udp mail.example.test MX"."""
        try:
            with open(self.query_log_path, "r", encoding="utf-8", errors="replace") as f:
                return [line.rstrip("\n") for line in f if line.strip()]
        except OSError:
            return []

    def count_queries(self, qname: str, qtype: str) -> int:
        """Queries for qname (any case, trailing dot optional) and qtype over
        UDP and TCP so far."""
        name = qname.lower().rstrip(".") or "."
        want = f" {name} {qtype.upper()}"
        return sum(1 for line in self.query_log() if line[3:] == want)

    def stderr_text(self) -> str:
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return self._stderr_cache

    def __enter__(self) -> "DnsServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
