"""Run a real redis-server in e2e tests (the state store's Redis backend).

    with RedisServer(password="s3cret") as redis:
        ...  # store = { backend = "redis", redis = { port = redis.port, password = "s3cret" } }
        self.assertEqual(redis.command("DBSIZE"), 1)
        redis.restart()          # same port, empty data

The server listens on 127.0.0.1 with a free port, keeps nothing on disk
(--save "" --appendonly no) and logs to `workdir` (a temporary directory,
removed by stop(), when none is given).  The binary is $PORTCULLIS_REDIS_SERVER
or redis-server on PATH.  stop(): SIGTERM to the PID, SIGKILL after
`term_timeout`; idempotent.  pause()/resume() (SIGSTOP/SIGCONT) make a server
that accepts connections but never answers, for timeout tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import List, Optional, Union

START_TIMEOUT = 5.0     # seconds to wait for PING to answer
POLL = 0.02


def redis_server_bin() -> str:
    """Path of redis-server: $PORTCULLIS_REDIS_SERVER or the one on PATH.
    Raises (does NOT skip) when missing - a missing server is a test failure."""
    path = os.environ.get("PORTCULLIS_REDIS_SERVER", "") or shutil.which("redis-server") or ""
    if not (path and os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError("redis-server not found; install it or set PORTCULLIS_REDIS_SERVER")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _encode(args: List[str]) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode()
        out.append(f"${len(data)}\r\n".encode() + data + b"\r\n")
    return b"".join(out)


class _Reader:
    """A minimal RESP reader over a socket, enough for test commands."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def _line(self) -> bytes:
        # Bounded by the socket timeout per recv and by the reply size.
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("redis closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self) -> Union[str, int, None, list, Exception]:
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("redis closed the connection")
                self.buf += chunk
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode("utf-8", "replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise ValueError(f"unexpected RESP line {line!r}")


class RedisServer:
    """A redis-server child process on 127.0.0.1."""

    def __init__(self, binary: Optional[str] = None, password: str = "",
                 workdir: Optional[str] = None, name: str = "redis") -> None:
        self.binary = os.path.abspath(binary or redis_server_bin())
        self.password = password
        self.name = name
        self._own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="portcullis-redis-")
        self.log_path = os.path.join(self.workdir, f"{name}.log")
        self.proc: Optional[subprocess.Popen] = None
        self._port = 0
        self._paused = False

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
        argv = [self.binary, "--port", str(self._port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", self.workdir,
                "--logfile", self.log_path, "--daemonize", "no"]
        if self.password:
            argv += ["--requirepass", self.password]
        return argv

    def start(self, timeout: float = START_TIMEOUT) -> "RedisServer":
        os.makedirs(self.workdir, exist_ok=True)
        if not self._port:
            self._port = free_port()
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     cwd=self.workdir, start_new_session=True)
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if self.command("PING") == "PONG":
                    return self
            except (OSError, RuntimeError) as e:
                last = str(e)
            time.sleep(POLL)
        code = self.proc.poll()
        self._terminate()
        raise RuntimeError(f"{self.name}: no PING answer within {timeout}s (exit {code}, "
                           f"last error {last!r}); log:\n{self.log_text()[-4000:]}")

    def command(self, *args: str, timeout: float = 1.0):
        """One command over a new connection (AUTH first when a password is
        set). Returns the decoded reply; an error reply raises RuntimeError."""
        with socket.create_connection(("127.0.0.1", self._port), timeout=timeout) as sock:
            reader = _Reader(sock)
            if self.password:
                sock.sendall(_encode(["AUTH", self.password]))
                auth = reader.reply()
                if isinstance(auth, Exception):
                    raise auth
            sock.sendall(_encode(list(args)))
            reply = reader.reply()
        if isinstance(reply, Exception):
            raise reply
        return reply

    def info(self, section: str = "stats") -> dict:
        text = self.command("INFO", section)
        fields = {}
        for line in str(text).splitlines():
            if ":" in line and not line.startswith("#"):
                key, value = line.split(":", 1)
                fields[key] = value
        return fields

    def pause(self) -> None:
        if self.running():
            os.kill(self.proc.pid, signal.SIGSTOP)
            self._paused = True

    def resume(self) -> None:
        if self.running() and self._paused:
            os.kill(self.proc.pid, signal.SIGCONT)
        self._paused = False

    def restart(self, timeout: float = START_TIMEOUT) -> "RedisServer":
        """Stop and start again on the same port (data is not kept)."""
        self._terminate()
        deadline = time.monotonic() + timeout
        while True:     # bounded: the port may take a moment to be free
            try:
                return self.start(timeout=max(0.5, deadline - time.monotonic()))
            except RuntimeError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _terminate(self, term_timeout: float = 2.0, kill_timeout: float = 5.0) -> Optional[int]:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.resume()
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=term_timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                try:
                    self.proc.wait(timeout=kill_timeout)
                except subprocess.TimeoutExpired:
                    pass
        return self.proc.returncode

    def stop(self, term_timeout: float = 2.0, kill_timeout: float = 5.0) -> Optional[int]:
        """SIGTERM, wait up to term_timeout, then SIGKILL.  Removes the
        workdir when this object created it.  Safe to call repeatedly."""
        code = self._terminate(term_timeout, kill_timeout)
        if self._own_workdir and os.path.isdir(self.workdir):
            shutil.rmtree(self.workdir, ignore_errors=True)
        return code

    def log_text(self) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
