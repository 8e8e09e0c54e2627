"""A private, throw-away Postfix instance for the Portcullis e2e tests.

Everything lives under one temp dir (never /etc/postfix, never the system
queue):

    <tmp>/etc/{main.cf,master.cf}   config_directory (written by this class)
    <tmp>/queue/                    queue_directory (created by `postfix start`)
    <tmp>/data/                     data_directory (owned by mail_owner)
    <tmp>/run/                      free for milter sockets (mode 0755)
    <tmp>/maillog                   maillog_file (via the postlog service)

smtpd listens on 127.0.0.1:<free port>; everything is relayed to a sink at
[127.0.0.1]:<sink port>.  Must run as root (postfix start/stop, postqueue -c,
postsuper -c, postcat -c with a non-default config directory).

See README.md in this directory for the surprising bits.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, TypeVar, Union

try:  # package-style or script-dir-style import
    from .swaks import SwaksResult, run_swaks  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    from swaks import SwaksResult, run_swaks  # type: ignore[no-redef]

T = TypeVar("T")

POSTFIX = os.environ.get("POSTFIX_BIN", "/usr/sbin/postfix")
POSTCONF = "/usr/sbin/postconf"
POSTQUEUE = "/usr/sbin/postqueue"
POSTSUPER = "/usr/sbin/postsuper"
POSTCAT = "/usr/sbin/postcat"

CMD_TIMEOUT = 60.0          # seconds for any single postfix command

MASTER_CF_TEMPLATE = """\
# Written by tests/e2e/postfix_instance.py - private test instance.
# service type  private unpriv  chroot  wakeup  maxproc command
{smtpd_listen} inet n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
# Postfix >= 3.4: maillog_file is written by postlogd; without this
# service nothing is logged (and `postfix start` logs nothing either).
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def free_port(host: str = "127.0.0.1") -> int:
    """A currently free TCP port on `host` (bind to 0, read, close)."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def pid_alive(pid: int) -> bool:
    """True if `pid` exists and is not a zombie.  (In this VM PID 1 does not
    reap orphans, so a stopped master can linger as a zombie; kill(pid, 0)
    would still succeed on it.)"""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    # state is the first field after the ")" closing the comm field
    state = stat[stat.rfind(b")") + 2:stat.rfind(b")") + 3]
    return state not in (b"Z", b"X")


def wait_until(predicate: Callable[[], T], timeout: float, interval: float = 0.1) -> Optional[T]:
    """Poll `predicate` until it returns a truthy value (returned) or
    `timeout` seconds pass (returns None).  Always bounded."""
    deadline = time.monotonic() + timeout
    while True:
        v = predicate()
        if v:
            return v
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def _run(argv: Sequence[str], timeout: float = CMD_TIMEOUT, check: bool = False,
         env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    p = subprocess.run(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout, env=env)
    if check and p.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed with {p.returncode}\n"
            f"stdout: {p.stdout.decode(errors='replace')}\n"
            f"stderr: {p.stderr.decode(errors='replace')}")
    return p


MilterSpec = Union[str, Sequence[str], None]


def _milter_list(spec: MilterSpec) -> str:
    if spec is None:
        return ""
    if isinstance(spec, str):
        return spec
    return ", ".join(spec)


class PostfixInstance:
    """Private Postfix instance.  Typical use in a unittest.TestCase:

        sink = SmtpSink().start();            self.addCleanup(sink.stop)
        pf = PostfixInstance(sink.port, smtpd_milters="unix:/path/sock")
        self.addCleanup(pf.cleanup)           # stop + kill leftovers + rm -rf
        pf.start()
        res = pf.send(headers={"Subject": "hi"})
    """

    def __init__(self, sink_port: int, *,
                 smtpd_milters: MilterSpec = None,
                 non_smtpd_milters: MilterSpec = None,
                 milter_default_action: str = "tempfail",
                 milter_connect_timeout: str = "10s",
                 milter_command_timeout: str = "10s",
                 milter_content_timeout: str = "20s",
                 milter_protocol: int = 6,
                 smtpd_port: Optional[int] = None,
                 inet_protocols: str = "ipv4",
                 relay_domains: Optional[str] = None,
                 extra_main_cf: Optional[Dict[str, str]] = None,
                 base_dir: Optional[str] = None,
                 keep: Optional[bool] = None) -> None:
        self.sink_port = sink_port
        self.smtpd_port = smtpd_port or free_port()
        parent = base_dir or os.environ.get("PORTCULLIS_E2E_TMPDIR") or "/tmp"
        # short prefix: unix socket paths below it must stay < 108 bytes
        self.dir = tempfile.mkdtemp(prefix="pcx-", dir=parent)
        # Postfix daemons (user postfix) and the milter socket consumer (smtpd,
        # user postfix) must be able to traverse this tree: mkdtemp gives 0700.
        os.chmod(self.dir, 0o755)
        self.config_dir = os.path.join(self.dir, "etc")
        self.queue_dir = os.path.join(self.dir, "queue")
        self.data_dir = os.path.join(self.dir, "data")
        self.run_dir = os.path.join(self.dir, "run")
        self.maillog = os.path.join(self.dir, "maillog")
        self.keep = (os.environ.get("PORTCULLIS_E2E_KEEP") == "1") if keep is None else keep
        for d in (self.config_dir, self.queue_dir, self.data_dir, self.run_dir):
            os.makedirs(d, mode=0o755, exist_ok=True)
            os.chmod(d, 0o755)
        shutil.chown(self.data_dir, user="postfix", group="postfix")
        self.main_cf: Dict[str, str] = self._default_main_cf(
            smtpd_milters=_milter_list(smtpd_milters),
            non_smtpd_milters=_milter_list(non_smtpd_milters),
            milter_default_action=milter_default_action,
            milter_connect_timeout=milter_connect_timeout,
            milter_command_timeout=milter_command_timeout,
            milter_content_timeout=milter_content_timeout,
            milter_protocol=str(milter_protocol),
            inet_protocols=inet_protocols)
        if relay_domains is not None:
            # lets clients outside mynetworks (e.g. swaks --xclient-addr
            # 192.0.2.7) relay to these domains
            self.main_cf["relay_domains"] = relay_domains
            self.main_cf["smtpd_relay_restrictions"] = \
                "permit_mynetworks, permit_auth_destination, reject"
        if extra_main_cf:
            self.main_cf.update(extra_main_cf)
        self._write_config()
        self.master_pid: Optional[int] = None
        self.started = False

    # ------------------------------------------------------------------ config
    def _default_main_cf(self, **p: str) -> Dict[str, str]:
        relay = f"smtp:[127.0.0.1]:{self.sink_port}"
        return {
            "compatibility_level": "3.6",
            "config_directory": self.config_dir,
            "queue_directory": self.queue_dir,
            "data_directory": self.data_dir,
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "myhostname": "mx.portcullis-e2e.test",
            "mydomain": "portcullis-e2e.test",
            "myorigin": "$myhostname",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": p["inet_protocols"],
            "mynetworks": "127.0.0.0/8 [::1]/128",
            "mydestination": "",
            "local_recipient_maps": "",
            "alias_maps": "",
            "alias_database": "",
            "relayhost": "",
            "default_transport": relay,
            "relay_transport": relay,
            "smtp_dns_support_level": "disabled",
            "smtp_connect_timeout": "5s",
            "smtp_tls_security_level": "none",
            "smtpd_tls_security_level": "none",
            "smtpd_relay_restrictions": "permit_mynetworks, reject",
            "smtpd_recipient_restrictions": "",
            # tests may spoof the client address/helo with swaks --xclient
            "smtpd_authorized_xclient_hosts": "127.0.0.0/8",
            "smtpd_banner": "$myhostname ESMTP portcullis-e2e",
            "biff": "no",
            "in_flow_delay": "0s",
            "delay_warning_time": "0h",
            # fast retries when a test flushes after the sink was down
            "queue_run_delay": "1s",
            "minimal_backoff_time": "1s",
            "maximal_backoff_time": "5s",
            "smtp_address_preference": "ipv4",
            # logging to a file under the temp dir (needs the postlog service
            # in master.cf and the prefix whitelisted, else postfix refuses)
            "maillog_file": self.maillog,
            "maillog_file_prefixes": self.dir,
            "syslog_name": "postfix",
            # milter wiring
            "smtpd_milters": p["smtpd_milters"],
            "non_smtpd_milters": p["non_smtpd_milters"],
            "milter_protocol": p["milter_protocol"],
            "milter_default_action": p["milter_default_action"],
            "milter_connect_timeout": p["milter_connect_timeout"],
            "milter_command_timeout": p["milter_command_timeout"],
            "milter_content_timeout": p["milter_content_timeout"],
        }

    def _write_config(self) -> None:
        with open(os.path.join(self.config_dir, "main.cf"), "w") as f:
            f.write("# Written by tests/e2e/postfix_instance.py - private test instance.\n")
            for k, v in self.main_cf.items():
                f.write(f"{k} = {v}\n")
        with open(os.path.join(self.config_dir, "master.cf"), "w") as f:
            f.write(MASTER_CF_TEMPLATE.format(smtpd_listen=f"127.0.0.1:{self.smtpd_port}"))

    def set_main_cf(self, reload: bool = True, **settings: Any) -> None:
        """Change main.cf parameters (e.g. smtpd_milters=..., milter_default_action=...)
        and reload the running instance.  Values may be lists for *_milters."""
        for k, v in settings.items():
            self.main_cf[k] = _milter_list(v) if k.endswith("_milters") else str(v)
        self._write_config()
        if reload and self.started:
            self.reload()

    def path(self, *parts: str) -> str:
        """Path below the instance temp dir (e.g. pf.path('run', 'milter.sock'))."""
        return os.path.join(self.dir, *parts)

    def postfix_cmd(self, *args: str, timeout: float = CMD_TIMEOUT,
                    check: bool = False) -> subprocess.CompletedProcess:
        return _run([POSTFIX, "-c", self.config_dir, *args], timeout=timeout, check=check)

    def postconf(self, *names: str) -> Dict[str, str]:
        """Effective values as Postfix sees them (postconf -c DIR -h name...)."""
        p = _run([POSTCONF, "-c", self.config_dir, *names], check=True)
        out = {}
        for line in p.stdout.decode().splitlines():
            k, _, v = line.partition(" = ")
            out[k.strip()] = v
        return out

    # --------------------------------------------------------------- lifecycle
    def check(self) -> None:
        """`postfix check`.  Note: when stderr is not a tty the postfix command
        reports fatal errors only to maillog_file - so on failure we show it."""
        p = self.postfix_cmd("check")
        if p.returncode != 0:
            raise RuntimeError(f"postfix check failed ({p.returncode}): "
                               f"{p.stderr.decode(errors='replace')}\n{self.log_text()}")

    def start(self, timeout: float = 30.0) -> "PostfixInstance":
        self.check()
        for attempt in range(3):      # the free port may be taken meanwhile
            mark = self.log_mark()
            p = self.postfix_cmd("start", timeout=timeout)
            self.started = True       # from here on stop() must run
            if p.returncode == 0:
                break
            if attempt < 2 and "Address already in use" in self.log_text(mark):
                self.stop()
                self.smtpd_port = free_port()
                self._write_config()
                continue
            raise RuntimeError(f"postfix start failed ({p.returncode}): "
                               f"{p.stderr.decode(errors='replace')}\n{self.log_text()}")
        if not self.wait_for_log(r"postfix/master\[\d+\]: daemon started", timeout,
                                 since=mark, raise_on_timeout=False):
            raise RuntimeError(f"master did not report start within {timeout}s\n"
                               f"{self.log_text()}")
        self.master_pid = self._read_master_pid()
        # smtpd listener must be bound (bounded wait; no probe connection)
        if not wait_until(lambda: tcp_listening(self.smtpd_port), timeout):
            raise RuntimeError(f"smtpd on 127.0.0.1:{self.smtpd_port} not listening\n"
                               f"{self.log_text()}")
        return self

    def reload(self, timeout: float = 30.0) -> None:
        mark = self.log_mark()
        self.postfix_cmd("reload", check=True)
        self.wait_for_log(r"postfix/master\[\d+\]: reload --", timeout, since=mark)

    def _read_master_pid(self) -> Optional[int]:
        try:
            with open(os.path.join(self.queue_dir, "pid", "master.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def _instance_pids(self) -> List[int]:
        """PIDs of live processes whose cwd is our queue directory (every
        Postfix daemon chdir()s there) - i.e. exactly this instance's
        master and children, never the system instance."""
        qd = os.path.realpath(self.queue_dir)
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            try:
                if os.readlink(f"/proc/{pid}/cwd") == qd and pid_alive(pid):
                    pids.append(pid)
            except OSError:
                continue
        return pids

    def stop(self, timeout: float = 20.0) -> None:
        """postfix stop; then SIGKILL the master PID and any process still
        running in our queue dir.  Idempotent, never raises for a dead instance."""
        if not self.started:
            return
        pid = self._read_master_pid() or self.master_pid
        try:
            self.postfix_cmd("stop", timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        if pid:
            wait_until(lambda: not pid_alive(pid), timeout)
            if pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        # leftovers (children of a killed master); bounded
        for _ in range(3):
            left = self._instance_pids()
            if not left:
                break
            for lp in left:
                try:
                    os.kill(lp, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            wait_until(lambda: not any(pid_alive(x) for x in left), 5.0)
        self.started = False

    def cleanup(self) -> None:
        """stop() and remove the temp dir (kept if PORTCULLIS_E2E_KEEP=1)."""
        try:
            self.stop()
        finally:
            if self.keep:
                print(f"[postfix_instance] keeping {self.dir}")
            else:
                shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "PostfixInstance":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.cleanup()

    # -------------------------------------------------------------------- mail
    def send(self, *extra_args: str, **kwargs: Any) -> SwaksResult:
        """Run swaks against this instance's smtpd.  Keyword arguments are
        those of swaks.run_swaks (from_, to, headers, add_headers, body, data,
        data_file, raw_data, helo, timeout); positional args are passed to
        swaks verbatim.  The result unpacks as (exit code, transcript)."""
        kwargs.setdefault("tmpdir", self.dir)
        return run_swaks(self.smtpd_port, extra_args=list(extra_args)
                         + list(kwargs.pop("extra_args", [])), **kwargs)

    def queue(self) -> List[Dict[str, Any]]:
        """Entries of `postqueue -c DIR -j` (one JSON object per message):
        queue_name ('incoming'|'active'|'deferred'|'hold'|'maildrop'),
        queue_id, arrival_time, message_size, forced_expire, sender,
        recipients [{address, delay_reason?}]."""
        import json
        p = _run([POSTQUEUE, "-c", self.config_dir, "-j"], check=True)
        return [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]

    def flush(self) -> None:
        """postqueue -f: attempt delivery of all deferred mail now."""
        _run([POSTQUEUE, "-c", self.config_dir, "-f"], check=True)

    def release(self, queue_id: str = "ALL") -> None:
        """postsuper -H: move held (quarantined) mail back to the deferred queue."""
        _run([POSTSUPER, "-c", self.config_dir, "-H", queue_id], check=True)

    def delete(self, queue_id: str = "ALL") -> None:
        _run([POSTSUPER, "-c", self.config_dir, "-d", queue_id], check=True)

    def queue_file(self, queue_id: str) -> str:
        """postcat -q: envelope records + content of a queued (e.g. held) message."""
        return _run([POSTCAT, "-c", self.config_dir, "-q", queue_id], check=True
                    ).stdout.decode("utf-8", "replace")

    # --------------------------------------------------------------------- log
    def log_mark(self) -> int:
        """Current size of the maillog; pass as `since` to only see newer lines."""
        try:
            return os.path.getsize(self.maillog)
        except OSError:
            return 0

    def log_text(self, since: int = 0) -> str:
        try:
            with open(self.maillog, "rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_lines(self, pattern: Optional[str] = None, since: int = 0) -> List[str]:
        lines = self.log_text(since).splitlines()
        if pattern is None:
            return lines
        rx = re.compile(pattern)
        return [l for l in lines if rx.search(l)]

    def wait_for_log(self, pattern: str, timeout: float = 30.0, since: int = 0,
                     raise_on_timeout: bool = True) -> Optional[re.Match]:
        rx = re.compile(pattern, re.M)
        m = wait_until(lambda: rx.search(self.log_text(since)), timeout)
        if m is None and raise_on_timeout:
            raise AssertionError(f"log pattern {pattern!r} not seen within {timeout}s; "
                                 f"log:\n{self.log_text(since)[-4000:]}")
        return m

    def wait_for(self, predicate: Callable[[], T], timeout: float = 30.0,
                 interval: float = 0.2, message: str = "") -> T:
        """Poll predicate until truthy (returned) or raise AssertionError with
        the log tail after `timeout` seconds."""
        v = wait_until(predicate, timeout, interval)
        if not v:
            raise AssertionError(f"timed out after {timeout}s waiting for "
                                 f"{message or predicate!r}; log tail:\n"
                                 f"{self.log_text()[-4000:]}")
        return v  # type: ignore[return-value]

    def wait_queue_empty(self, timeout: float = 30.0) -> None:
        self.wait_for(lambda: not self.queue(), timeout, message="empty queue")

    def delivery_status(self, queue_id: str) -> List[str]:
        """'status=...' log lines of the smtp client for queue_id."""
        return self.log_lines(rf"\b{re.escape(queue_id)}: to=<.*status=")


def tcp_listening(port: int, host: str = "127.0.0.1") -> bool:
    """True if a socket is in LISTEN state on host:port, read from
    /proc/net/tcp - deliberately *without* connecting, because a probe
    connection would make smtpd run the milter connect stage."""
    want = "%s:%04X" % ("".join("%02X" % int(b) for b in reversed(host.split("."))), port)
    try:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                parts = line.split()
                if parts[1] == want and parts[3] == "0A":
                    return True
    except OSError:
        return False
    return False
