"""End-to-end test of Portcullis' Prometheus metrics, with a real Prometheus.

    swaks -> private Postfix -> portcullis serve  <-- scrape (1 s) -- prometheus
                                   /metrics                            /api/v1/*

What it proves:
- verdicts, recipients, connections and latency histograms counted by the
  daemon reach a real Prometheus with the right values (3 accepted, 2
  rejected messages through a real Postfix);
- `promtool check metrics` finds nothing to complain about in /metrics;
- a failed reload (syntax error + SIGUSR1) is counted, flips
  portcullis_config_last_reload_successful to 0, and fires the
  PortcullisConfigReloadFailed alert of examples/prometheus/portcullis-alerts.yml
  loaded into that Prometheus; a good reload clears it;
- the shipped examples stay valid: promtool check config / check rules /
  test rules, the Grafana dashboard is JSON, and every portcullis_* name used
  by the alerts and the dashboard is in the engine's metric catalogue. The
  dashboard's queries are also run against the live Prometheus.

Needs root (private Postfix), swaks, and the Debian package `prometheus`
(prometheus + promtool). A missing prometheus is a test FAILURE, not a skip.
PROMETHEUS_BIN / PROMTOOL_BIN override the binaries found on PATH.

Run from the repository root:
    PORTCULLIS_BIN=build/engine/cli/portcullis python3 -m unittest -v tests/e2e/test_metrics.py
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from e2e_base import VERBOSE, E2ETestCase, portcullis_bin  # noqa: E402
from milter_fixture import MilterProcess  # noqa: E402
from postfix_instance import free_port  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples")
ALERT_RULES = os.path.join(EXAMPLES, "prometheus", "portcullis-alerts.yml")
ALERT_TESTS = os.path.join(EXAMPLES, "prometheus", "portcullis-alerts.test.yml")
PROM_EXAMPLE_CONFIG = os.path.join(EXAMPLES, "prometheus", "prometheus.yml")
POSTFIX_SNIPPET = os.path.join(EXAMPLES, "postfix", "main.cf.snippet")
DASHBOARD = os.path.join(EXAMPLES, "grafana", "portcullis-dashboard.json")
METRIC_CATALOGUE = os.path.join(REPO, "engine", "metrics", "engine_metrics.cc")

KEEP = os.environ.get("PORTCULLIS_E2E_KEEP") == "1"

# Bounds. Generous on purpose: the box running CTest may be a loaded 2-core VM.
PROMETHEUS_READY_TIMEOUT = 120.0   # TSDB open + rule load + web ready
METRIC_POLL_TIMEOUT = 90.0         # a scrape and an evaluation are 1 s apart
HTTP_TIMEOUT = 10.0
PROCESS_STOP_TIMEOUT = 30.0

POLICY = textwrap.dedent("""\
    return function(report)
      if report.envelope.rcpts[1] == "reject@example.net" then
        return { action = "reject", code = "550", xcode = "5.7.1", text = "no" }
      end
      return "accept"
    end
    """)

# Anything Lua cannot parse: the reload must fail and keep the old Snapshot.
BROKEN_CONFIG = 'listen = "inet:1@127.0.0.1"\nthis is not lua (\n'

# Never go through an http_proxy from the environment: everything is loopback.
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = HTTP_TIMEOUT) -> Tuple[int, str]:
    try:
        with _HTTP.open(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def find_tool(env: str, name: str) -> str:
    """Path of prometheus/promtool. Raises AssertionError (a test failure,
    not a skip) when missing, naming the package that provides it."""
    path = os.environ.get(env) or shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise AssertionError(
            f"{name} not found (set {env} or install the Debian package 'prometheus', "
            f"which provides both prometheus and promtool: apt-get install prometheus). "
            f"This test needs a real Prometheus and promtool and does not skip.")
    return path


def catalogue_names() -> List[str]:
    """Metric family names the engine declares (.Name("...") in the catalogue)."""
    with open(METRIC_CATALOGUE) as f:
        return re.findall(r'\.Name\("([a-z_:][a-z0-9_:]*)"\)', f.read())


def exposed_names(family: str, kind: str) -> List[str]:
    """Series names a family of this type may show in PromQL."""
    if kind == "histogram":
        # the family name itself too: prose in descriptions names families
        return [family] + [family + s for s in ("_bucket", "_sum", "_count")]
    return [family]


def postfix_snippet_settings() -> Dict[str, str]:
    """The settings of examples/postfix/main.cf.snippet (name = value lines),
    so that the e2e Postfix runs with exactly what the example recommends."""
    settings: Dict[str, str] = {}
    with open(POSTFIX_SNIPPET) as f:
        for line in f:
            m = re.match(r"^([a-z_0-9]+)\s*=\s*(.*?)\s*$", line)
            if m:
                settings[m.group(1)] = m.group(2)
    return settings


class PrometheusServer:
    """A private Prometheus: own config, TSDB and port under `workdir`, on
    127.0.0.1 only. Started and stopped by PID; stop() is idempotent."""

    def __init__(self, binary: str, workdir: str, target: str,
                 rule_files: Sequence[str] = (), interval: str = "1s") -> None:
        self.binary = binary
        self.workdir = workdir
        self.target = target
        self.rule_files = list(rule_files)
        self.interval = interval
        self.config_path = os.path.join(workdir, "prometheus.yml")
        self.log_path = os.path.join(workdir, "prometheus.log")
        self.proc: Optional[subprocess.Popen] = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_config(self) -> None:
        # JSON is YAML: no yaml module needed.
        config = {
            "global": {"scrape_interval": self.interval, "evaluation_interval": self.interval},
            "rule_files": self.rule_files,
            "scrape_configs": [{
                "job_name": "portcullis",
                "scrape_interval": self.interval,
                "scrape_timeout": "900ms" if self.interval == "1s" else "5s",
                "static_configs": [{"targets": [self.target]}],
            }],
        }
        with open(self.config_path, "w") as f:
            json.dump(config, f, indent=2)

    def start(self, timeout: float = PROMETHEUS_READY_TIMEOUT) -> "PrometheusServer":
        self._write_config()
        last_error = ""
        for _attempt in range(3):          # a free port can be taken before we bind it
            self.port = free_port()
            data = os.path.join(self.workdir, f"tsdb-{self.port}")
            argv = [self.binary,
                    f"--config.file={self.config_path}",
                    f"--storage.tsdb.path={data}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--storage.tsdb.retention.time=1h",
                    "--log.level=info"]
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=log, cwd=self.workdir,
                                             start_new_session=True)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    status, _ = http_get(self.url + "/-/ready", timeout=2.0)
                    if status == 200:
                        return self
                except OSError:
                    pass
                time.sleep(0.2)
            if self.proc.poll() is None:
                self.stop()
                raise AssertionError(f"prometheus not ready within {timeout}s\n{self.log_tail()}")
            last_error = self.log_tail()
            if "address already in use" not in last_error:
                break
        raise AssertionError(f"prometheus exited with {self.proc.returncode if self.proc else '?'}"
                             f" at start\n{last_error}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=PROCESS_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def log_tail(self, n: int = 4000) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-n:]
        except OSError:
            return ""

    def api(self, path: str, **params: str) -> Any:
        url = f"{self.url}/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        status, body = http_get(url)
        doc = json.loads(body)
        if status != 200 or doc.get("status") != "success":
            raise AssertionError(f"GET {url}: {status} {body[:2000]}")
        return doc["data"]

    def query(self, expr: str) -> List[Dict[str, Any]]:
        data = self.api("query", query=expr)
        if data["resultType"] == "scalar":
            return [{"metric": {}, "value": data["result"]}]
        return data["result"]

    def value(self, expr: str) -> Optional[float]:
        """The value of a query that yields one sample; None when it yields none."""
        result = self.query(expr)
        if not result:
            return None
        if len(result) != 1:
            raise AssertionError(f"{expr}: {len(result)} series, want 1: {result}")
        return float(result[0]["value"][1])

    def wait_values(self, want: Dict[str, Optional[float]],
                    timeout: float = METRIC_POLL_TIMEOUT) -> None:
        """Poll until every query has its wanted value (None = no sample)."""
        deadline = time.monotonic() + timeout
        got: Dict[str, Any] = {}
        while True:
            got = {}
            for expr in want:
                try:
                    got[expr] = self.value(expr)
                except (AssertionError, OSError, ValueError) as e:
                    got[expr] = f"error: {e}"
            if got == want:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        lines = [f"  {expr}: got {got[expr]!r}, want {want[expr]!r}"
                 for expr in want if got[expr] != want[expr]]
        targets = self.api("targets").get("activeTargets", [])
        raise AssertionError("Prometheus never showed the wanted values within "
                             f"{timeout}s:\n" + "\n".join(lines) +
                             f"\ntargets: {json.dumps(targets)[:1500]}")

    def wait_for(self, what: str, predicate: Callable[[], Any],
                 timeout: float = METRIC_POLL_TIMEOUT) -> Any:
        deadline = time.monotonic() + timeout
        last: Any = None
        while True:
            try:
                last = predicate()
            except (AssertionError, OSError, ValueError) as e:
                last = None
                error = str(e)
            else:
                error = ""
            if last:
                return last
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what} {error}")
            time.sleep(0.5)

    def alerts(self, name: str, state: Optional[str] = None) -> List[Dict[str, Any]]:
        return [a for a in self.api("alerts")["alerts"]
                if a["labels"].get("alertname") == name and (state is None or a["state"] == state)]


class MetricsTestCase(E2ETestCase):
    """Shared set-up: a work dir, the daemon with metrics, a Prometheus."""

    def setUp(self) -> None:
        self.prometheus_bin = find_tool("PROMETHEUS_BIN", "prometheus")
        self.promtool_bin = find_tool("PROMTOOL_BIN", "promtool")
        parent = os.environ.get("PORTCULLIS_E2E_TMPDIR") or "/tmp"
        self.dir = tempfile.mkdtemp(prefix="pcm-", dir=parent)
        os.chmod(self.dir, 0o755)
        if KEEP:
            self.addCleanup(print, f"\nkept {self.dir}")
        else:
            self.addCleanup(shutil.rmtree, self.dir, True)
        with open(os.path.join(self.dir, "policy.lua"), "w") as f:
            f.write(POLICY)
        self.config_path = os.path.join(self.dir, "portcullis.lua")

    def write_config(self, milter_port: int, metrics_port: int) -> str:
        text = textwrap.dedent(f"""\
            listen = "inet:{milter_port}@127.0.0.1"
            state_dir = "{self.dir}/state"
            metrics = {{ listen = "127.0.0.1:{metrics_port}" }}
            log = {{ level = "info" }}
            policy = {{ file = "policy.lua" }}
            checks = {{ bare_lf = {{}} }}
            """)
        with open(self.config_path, "w") as f:
            f.write(text)
        return text

    def start_daemon(self) -> Tuple[MilterProcess, int]:
        """portcullis serve on free loopback ports; returns (process, metrics port).
        Retries with new ports when one was taken in the meantime."""
        last = ""
        for attempt in range(3):
            milter_port, metrics_port = free_port(), free_port()
            if milter_port == metrics_port:
                continue
            self.good_config = self.write_config(milter_port, metrics_port)
            m = MilterProcess([portcullis_bin(), "serve", "-c", self.config_path],
                              f"inet:{milter_port}@127.0.0.1", self.dir, name=f"portcullis{attempt}")
            self.addCleanup(m.stop)
            if VERBOSE:
                self.addCleanup(lambda m=m: print(f"\n--- {m.name} stderr\n{m.stderr_text()}"))
            try:
                m.start(timeout=60.0)
            except RuntimeError as e:
                last = str(e)
                if "in use" in last or "cannot serve metrics" in last or "cannot listen" in last:
                    continue
                raise
            return m, metrics_port
        raise AssertionError(f"could not start portcullis on free ports:\n{last}")

    def start_prometheus(self, metrics_port: int) -> PrometheusServer:
        prom = PrometheusServer(self.prometheus_bin, self.dir, f"127.0.0.1:{metrics_port}",
                                rule_files=[ALERT_RULES])
        self.addCleanup(prom.stop)
        if VERBOSE:
            self.addCleanup(lambda: print(f"\n--- prometheus log\n{prom.log_tail()}"))
        prom.start()
        prom.wait_values({'up{job="portcullis"}': 1.0})
        return prom


class TestMetricsThroughPrometheus(MetricsTestCase):

    def test_verdicts_latency_and_lint(self) -> None:
        sink = self.start_sink()
        milter, metrics_port = self.start_daemon()
        # Postfix runs with the example snippet's settings, pointed at this daemon.
        snippet = postfix_snippet_settings()
        self.assertEqual(snippet.get("milter_default_action"), "tempfail")
        snippet.pop("smtpd_milters")
        pf = self.start_postfix(sink, smtpd_milters=milter.postfix_spec, extra_main_cf=snippet)
        self.assertEqual(pf.postconf("milter_protocol", "smtpd_milters"),
                         {"milter_protocol": "6", "smtpd_milters": milter.postfix_spec})
        prom = self.start_prometheus(metrics_port)

        # Nothing counted yet: the verdict series exist at 0 from the start.
        prom.wait_values({
            'portcullis_messages_total{verdict="accept"}': 0.0,
            'portcullis_messages_total{verdict="reject"}': 0.0,
            'portcullis_config_reloads_total{result="success"}': 1.0,
            'portcullis_config_last_reload_successful': 1.0,
        })

        for i in range(3):
            res = pf.send(to="rcpt@example.net", headers={"Subject": f"accept {i}"},
                          body=f"message {i}")
            self.assertReply(res, 250)
        for i in range(2):
            res = pf.send(to="reject@example.net", headers={"Subject": f"reject {i}"},
                          body=f"message {i}")
            self.assertReply(res, 550, "5.7.1", "no")
        sink.wait_for_messages(3, timeout=60)

        job = 'job="portcullis"'
        prom.wait_values({
            f'portcullis_messages_total{{{job}, verdict="accept"}}': 3.0,
            f'portcullis_messages_total{{{job}, verdict="reject"}}': 2.0,
            f'portcullis_messages_total{{{job}, verdict="tempfail"}}': 0.0,
            f'sum(portcullis_messages_total{{{job}}})': 5.0,
            f'portcullis_end_of_message_duration_seconds_count{{{job}}}': 5.0,
            f'portcullis_end_of_message_duration_seconds_bucket{{{job}, le="+Inf"}}': 5.0,
            f'portcullis_transaction_duration_seconds_count{{{job}}}': 5.0,
            f'portcullis_recipients_total{{{job}, result="accept"}}': 5.0,
            f'sum(portcullis_check_results_total{{{job}, check="bare_lf"}})': 5.0,
            f'portcullis_check_duration_seconds_count{{{job}, check="bare_lf"}}': 5.0,
            f'portcullis_connections_total{{{job}}}': 5.0,
            f'portcullis_connections_active{{{job}}}': 0.0,
            f'portcullis_build_info{{{job}}}': 1.0,
        })
        # Latencies are real: positive, and far below the end-of-message limit.
        eom_sum = prom.value(f'portcullis_end_of_message_duration_seconds_sum{{{job}}}')
        self.assertIsNotNone(eom_sum)
        self.assertGreater(eom_sum, 0.0)
        self.assertLess(eom_sum, 5 * 5.0)

        # build_info carries the version `portcullis --version` prints.
        info = prom.query(f'portcullis_build_info{{{job}}}')
        version = info[0]["metric"].get("version", "")
        self.assertRegex(version, r"^\d+\.\d+")
        out = subprocess.run([portcullis_bin(), "--version"], capture_output=True, text=True,
                             timeout=30)
        self.assertIn(version, out.stdout + out.stderr)

        # promtool's linter on the raw exposition (names, HELP, types, units).
        status, text = http_get(f"http://127.0.0.1:{metrics_port}/metrics")
        self.assertEqual(status, 200)
        lint = subprocess.run([self.promtool_bin, "check", "metrics"], input=text,
                              capture_output=True, text=True, timeout=60)
        self.assertEqual((lint.returncode, lint.stdout.strip(), lint.stderr.strip()), (0, "", ""),
                         f"promtool check metrics complained:\n{lint.stdout}{lint.stderr}")
        # Every family of the catalogue that has been touched is exposed with HELP.
        for name in catalogue_names():
            if name in ("portcullis_lua_errors_total", "portcullis_input_limit_hits_total"):
                continue  # no child until the first error / limit hit
            self.assertRegex(text, rf"(?m)^# HELP {name} \S", f"{name} missing from /metrics")

        # The shipped rules load and evaluate without errors on live data.
        def rules_evaluated() -> bool:
            groups = prom.api("rules")["groups"]
            rules = [r for g in groups for r in g["rules"]]
            bad = [(r["name"], r.get("lastError")) for r in rules if r.get("health") == "err"]
            self.assertEqual(bad, [], "rules failing on live data")
            return len(rules) > 0 and all(r.get("health") == "ok" for r in rules)
        prom.wait_for("all example rules evaluated", rules_evaluated)
        self.assertEqual(prom.alerts("PortcullisConfigReloadFailed"), [])
        self.assertEqual(prom.alerts("PortcullisDown"), [])

        # Every dashboard query parses and runs.
        errors = []
        for expr in dashboard_queries():
            try:
                prom.query(expr)
            except AssertionError as e:
                errors.append(f"{expr}: {e}")
        self.assertEqual(errors, [], "dashboard queries Prometheus refuses")


class TestReloadMetrics(MetricsTestCase):

    def test_failed_reload_is_counted_and_alerts(self) -> None:
        milter, metrics_port = self.start_daemon()
        prom = self.start_prometheus(metrics_port)
        prom.wait_values({
            'portcullis_config_reloads_total{result="success"}': 1.0,
            'portcullis_config_reloads_total{result="failure"}': 0.0,
            'portcullis_config_last_reload_successful': 1.0,
        })
        self.assertEqual(prom.alerts("PortcullisConfigReloadFailed"), [])

        with open(self.config_path, "w") as f:
            f.write(BROKEN_CONFIG)
        milter.signal(signal.SIGUSR1)
        prom.wait_values({
            'portcullis_config_reloads_total{result="failure"}': 1.0,
            'portcullis_config_reloads_total{result="success"}': 1.0,
            'portcullis_config_last_reload_successful': 0.0,
        })
        self.assertTrue(milter.running(), "a failed reload must not stop the daemon\n"
                        + milter.stderr_text()[-3000:])
        self.assertIn("reload failed", milter.stderr_text())

        # The example rule (for: 0m) fires on the next evaluation.
        firing = prom.wait_for("PortcullisConfigReloadFailed firing",
                               lambda: prom.alerts("PortcullisConfigReloadFailed", "firing"))
        self.assertEqual(len(firing), 1, firing)
        labels = firing[0]["labels"]
        self.assertEqual((labels.get("job"), labels.get("instance"), labels.get("severity")),
                         ("portcullis", f"127.0.0.1:{metrics_port}", "warning"))
        self.assertIn("rejected its new configuration", firing[0]["annotations"]["summary"])

        # Fix the file and reload again: counted as a success, alert resolved.
        with open(self.config_path, "w") as f:
            f.write(self.good_config)
        milter.signal(signal.SIGUSR1)
        prom.wait_values({
            'portcullis_config_reloads_total{result="failure"}': 1.0,
            'portcullis_config_reloads_total{result="success"}': 2.0,
            'portcullis_config_last_reload_successful': 1.0,
        })
        prom.wait_for("PortcullisConfigReloadFailed resolved",
                      lambda: prom.alerts("PortcullisConfigReloadFailed") == [])
        self.assertTrue(milter.running())


def dashboard_queries() -> List[str]:
    """PromQL of every dashboard target/annotation, with Grafana variables
    replaced by values Prometheus accepts."""
    with open(DASHBOARD) as f:
        dash = json.load(f)
    exprs: List[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("expr"), str):
                exprs.append(node["expr"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(dash.get("panels", []))
    walk(dash.get("annotations", {}))
    subst = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "5m", "$instance": ".*"}
    out = []
    for e in exprs:
        for k, v in subst.items():
            e = e.replace(k, v)
        out.append(e)
    return out


class TestExamples(E2ETestCase):
    """The shipped Prometheus/Grafana examples stay valid and name only real metrics."""

    def setUp(self) -> None:
        self.promtool_bin = find_tool("PROMTOOL_BIN", "promtool")

    def promtool(self, *args: str) -> None:
        p = subprocess.run([self.promtool_bin, *args], capture_output=True, text=True,
                           timeout=120, cwd=os.path.dirname(ALERT_RULES))
        self.assertEqual(p.returncode, 0, f"promtool {' '.join(args)}:\n{p.stdout}{p.stderr}")

    def test_promtool_config_rules_and_rule_unit_tests(self) -> None:
        self.promtool("check", "config", PROM_EXAMPLE_CONFIG)
        self.promtool("check", "rules", ALERT_RULES)
        self.promtool("test", "rules", ALERT_TESTS)

    def test_examples_name_only_catalogue_metrics(self) -> None:
        # The engine's catalogue, the resolver's and every check's own.
        sources = [METRIC_CATALOGUE, os.path.join(REPO, "engine", "dns", "dns_metrics.cc")]
        sources += sorted(glob.glob(os.path.join(REPO, "plugins", "*", "*metrics*.cc")))
        source = ""
        for path in sources:
            with open(path) as f:
                source += f.read()
        known = set()
        for name in re.findall(r'\.Name\("([a-z_:][a-z0-9_:]*)"\)', source):
            kind = "histogram" if re.search(
                rf'BuildHistogram\(\)\s*\.Name\("{name}"\)', source) else "other"
            known.update(exposed_names(name, kind))
        with open(ALERT_RULES) as f:
            rules_text = f.read()
        with open(DASHBOARD) as f:
            dash_text = f.read()
        json.loads(dash_text)  # valid JSON
        for what, text in (("alerts", rules_text), ("dashboard", dash_text)):
            # not preceded by ':' or a word character: recording rule names
            # (job_instance:portcullis_messages:rate15m) are not metrics
            used = set(re.findall(r"(?<![:\w])(portcullis_[a-z0-9_]+)", text))
            self.assertEqual(sorted(used - known), [], f"{what} names unknown metrics")


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
