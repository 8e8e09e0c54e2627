"""Start/stop a milter process (e.g. the Portcullis daemon) for e2e tests.

Socket specs (both libmilter and Postfix spellings are accepted):
    unix:/path/sock   local:/path/sock   /path/sock
    inet:PORT@HOST    (libmilter)        inet:HOST:PORT   (Postfix)
    inet6:PORT@HOST   (libmilter)        inet6:[HOST]:PORT
`postfix_spec()` converts to what smtpd_milters expects.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence


def portcullis_bin() -> str:
    """Path of the built daemon from $PORTCULLIS_BIN.  Raises (does NOT skip)
    when unset or not executable - a missing binary is a test failure."""
    path = os.environ.get("PORTCULLIS_BIN", "")
    if not path:
        raise RuntimeError("PORTCULLIS_BIN is not set; point it at the built "
                           "portcullis daemon (CTest sets it)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(f"PORTCULLIS_BIN={path!r} is not an executable file")
    return path


@dataclass(frozen=True)
class SocketSpec:
    family: str            # "unix" | "inet" | "inet6"
    path: str = ""         # unix
    host: str = ""         # inet/inet6
    port: int = 0

    @classmethod
    def parse(cls, spec: str) -> "SocketSpec":
        if spec.startswith("/"):
            return cls("unix", path=spec)
        kind, _, rest = spec.partition(":")
        kind = kind.lower()
        if kind in ("unix", "local"):
            return cls("unix", path=rest)
        if kind in ("inet", "inet6"):
            if "@" in rest:                      # libmilter: PORT@HOST
                port, _, host = rest.partition("@")
            else:                                # postfix: HOST:PORT / [HOST]:PORT
                host, _, port = rest.rpartition(":")
            host = host.strip("[]") or ("::1" if kind == "inet6" else "127.0.0.1")
            return cls(kind, host=host, port=int(port))
        raise ValueError(f"unsupported milter socket spec {spec!r}")

    def libmilter_spec(self) -> str:
        if self.family == "unix":
            return f"unix:{self.path}"
        return f"{self.family}:{self.port}@{self.host}"

    def postfix_spec(self) -> str:
        if self.family == "unix":
            return f"unix:{self.path}"
        if self.family == "inet6":
            return f"inet:[{self.host}]:{self.port}"
        return f"inet:{self.host}:{self.port}"

    def listening(self) -> bool:
        """True if a socket is in listen state at this address, read from
        /proc/net/{unix,tcp,tcp6} - without connecting (a probe connection
        would show up in the milter as an aborted session)."""
        try:
            if self.family == "unix":
                with open("/proc/net/unix") as f:
                    next(f)
                    for line in f:
                        parts = line.split()
                        # Flags 00010000 = __SO_ACCEPTCON (listening)
                        if len(parts) >= 8 and parts[7] == self.path and \
                                int(parts[3], 16) & 0x10000:
                            return True
                return False
            import ipaddress
            ip = ipaddress.ip_address(self.host)
            if ip.version == 4:
                files = ["/proc/net/tcp"]
                want = ip.packed[::-1].hex().upper()
            else:
                files = ["/proc/net/tcp6"]
                b = ip.packed
                want = "".join(b[i:i + 4][::-1].hex().upper() for i in range(0, 16, 4))
            any4, any6 = "00000000", "0" * 32
            for fn in files:
                with open(fn) as f:
                    next(f)
                    for line in f:
                        parts = line.split()
                        addr, _, port = parts[1].partition(":")
                        if parts[3] == "0A" and int(port, 16) == self.port and \
                                addr in (want, any4, any6):
                            return True
            return False
        except OSError:
            return False

    def accepts(self, timeout: float = 1.0) -> bool:
        """True if a connection to the socket succeeds (closed right away;
        libmilter just sees an aborted session)."""
        try:
            if self.family == "unix":
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(timeout)
                    s.connect(self.path)
            else:
                with socket.create_connection((self.host, self.port), timeout=timeout):
                    pass
            return True
        except OSError:
            return False


def postfix_spec(spec: str) -> str:
    return SocketSpec.parse(spec).postfix_spec()


class MilterProcess:
    """A milter child process.

        m = MilterProcess([portcullis_bin(), "--config", cfg], "unix:/t/run/m.sock",
                          workdir=pf.run_dir)
        self.addCleanup(m.stop)
        m.start()                 # waits (bounded) until the socket listens
        pf.set_main_cf(smtpd_milters=m.postfix_spec)

    stdout/stderr go to files in `workdir` (stderr_text()/stdout_text()).
    stop(): SIGTERM to the PID, SIGKILL after `term_timeout`; idempotent.
    The child gets its own session (start_new_session) but is only ever
    signalled by its PID.
    """

    def __init__(self, argv: Sequence[str], socket_spec: str, workdir: str, *,
                 env: Optional[Dict[str, str]] = None, name: str = "milter",
                 socket_mode: Optional[int] = None, probe: str = "listen") -> None:
        self.argv: List[str] = list(argv)
        self.socket = SocketSpec.parse(socket_spec)
        self.workdir = workdir
        self.env = dict(os.environ if env is None else env)
        self.name = name
        # Postfix smtpd runs as user "postfix": a unix socket created by a root
        # milter with umask 022 is not connectable by it.  socket_mode=0o666
        # chmods it after it appears (leave None if the daemon must do it).
        self.socket_mode = socket_mode
        # readiness check: "listen" (default, /proc, no connection made) or
        # "connect" (really connect once; the milter sees an aborted session)
        self.probe = probe
        self.stdout_path = os.path.join(workdir, f"{name}.stdout")
        self.stderr_path = os.path.join(workdir, f"{name}.stderr")
        self.proc: Optional[subprocess.Popen] = None
        self.returncode: Optional[int] = None

    @property
    def pid(self) -> Optional[int]:
        return self.proc.pid if self.proc else None

    @property
    def postfix_spec(self) -> str:
        return self.socket.postfix_spec()

    def start(self, timeout: float = 15.0) -> "MilterProcess":
        os.makedirs(self.workdir, exist_ok=True)
        if self.socket.family == "unix":
            try:
                os.unlink(self.socket.path)     # stale socket from a previous run
            except FileNotFoundError:
                pass
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, env=self.env, cwd=self.workdir,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                self.returncode = self.proc.returncode
                raise RuntimeError(f"{self.name} exited with {self.returncode} before its "
                                   f"socket {self.socket.libmilter_spec()} accepted "
                                   f"connections; stderr:\n{self.stderr_text()[-4000:]}")
            if (self.socket.accepts() if self.probe == "connect" else self.socket.listening()):
                break
            if time.monotonic() >= deadline:
                self.stop()
                raise RuntimeError(f"{self.name}: socket {self.socket.libmilter_spec()} "
                                   f"not accepting within {timeout}s; stderr:\n"
                                   f"{self.stderr_text()[-4000:]}")
            time.sleep(0.1)
        if self.socket_mode is not None and self.socket.family == "unix":
            os.chmod(self.socket.path, self.socket_mode)
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int) -> None:
        if self.running():
            os.kill(self.proc.pid, sig)  # type: ignore[union-attr]

    def stop(self, term_timeout: float = 10.0, kill_timeout: float = 5.0) -> Optional[int]:
        """SIGTERM, wait up to term_timeout, then SIGKILL.  Returns exit code
        (negative = killed by signal).  Safe to call repeatedly."""
        if self.proc is None:
            return self.returncode
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
        self.returncode = self.proc.returncode
        return self.returncode

    def _read(self, path: str) -> str:
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stderr_text(self) -> str:
        return self._read(self.stderr_path)

    def stdout_text(self) -> str:
        return self._read(self.stdout_path)

    def __enter__(self) -> "MilterProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
