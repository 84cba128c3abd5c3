"""`syndicate bench chaos`: broker and worker faults during a replay on a local 3-node cluster.

A backlog (the crash bench's ninjs stories, one in five re-sent) is replayed into wire.raw at a fixed rate while
one worker runs on a 3-node KRaft cluster (replication factor 3, min.insync.replicas 2) started for the run.
Meanwhile, at set shares of the inputs sent:
- the node leading wire.normalized is SIGKILLed, and started again `--restart-after` seconds later;
- the worker is SIGKILLed `--worker-kills` times, a new one started at once each time;
- a second worker joins, and later leaves (SIGTERM).
At the end every partner topic, read as a partner reads it (read_committed), is compared with `syndicate process`
on the same backlog: every input must have one committed decision and no (uri, version) may reach a partner twice.
For each fault: how long until decisions were written again ("resumed") and until every input sent before the
fault had its decision ("caught up").

The broker test tests/kafka/test_cluster.py runs a short version (one leader kill, one worker kill).
"""

from __future__ import annotations

import argparse
import math
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from streams.devbroker.broker import Broker
from streams.devbroker.cluster import Cluster
from streams.kafka import topics
from streams.offline import run_offline
from streams.quality.bench.crash import Report, backlog
from streams.quality.bench.monitor import Feeder, Monitor
from streams.quality.bench.report import percentile
from streams.settings import Settings
from streams.testing.harness import Stack, read_topic

#: Consumer-group session timeout of the workers: a SIGKILLed worker's partitions move after this long.
SESSION_TIMEOUT_MS = 6000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inputs", type=int, default=5000, help="inputs replayed (default 5,000)")
    parser.add_argument("--rate", type=float, default=20.0, help="inputs/s into wire.raw (default 20)")
    parser.add_argument("--worker-kills", type=int, default=5)
    parser.add_argument("--restart-after", type=float, default=20.0,
                        help="seconds the killed broker node stays down (default 20)")
    parser.add_argument("--base-port", type=int, help="first port of the cluster (default: the broker port + 2; "
                        "3 client ports and 3 controller ports from there)")


@dataclass
class Fault:
    """One fault: what, when (wall time) and how many inputs had been sent then."""

    name: str
    at: float
    sent: int
    resumed_s: float | None = None
    caught_up_s: float | None = None


@dataclass
class Scenario:
    """Where each fault falls, as a share of the inputs sent."""

    leader_kill: float = 0.10
    worker_kills: list[float] = field(default_factory=lambda: [0.25, 0.35, 0.45, 0.55, 0.65])
    second_worker: tuple[float, float] | None = (0.75, 0.85)

    @classmethod
    def with_kills(cls, kills: int) -> Scenario:
        return cls(worker_kills=[0.25 + 0.4 * k / max(1, kills) for k in range(kills)])


def chaos_inputs(count: int) -> list[tuple[bytes, bytes, int]]:
    """`count` inputs of the crash bench's backlog (stories and re-sends, each with its partition)."""
    return backlog(math.ceil(count * 5 / 6) + 1)[:count]


def own_cluster(settings: Settings, cache: Path, base_port: int) -> Cluster:
    """A cluster in `cache` (the jars the local broker fetched are linked, not copied) on `base_port`."""
    libs = Broker(settings).paths.libs
    cluster_settings = settings.with_(cache_dir=cache, broker_port=base_port)
    own = Broker(cluster_settings).paths.libs
    own.parent.mkdir(parents=True, exist_ok=True)
    if not own.exists():
        own.symlink_to(libs)
    return Cluster(cluster_settings)


@dataclass
class Chaos:
    """Runs a scenario against a stack on a cluster; `log` prints progress."""

    cluster: Cluster
    stack: Stack
    records: list[tuple[bytes, bytes, int]]
    rate: float
    restart_after: float
    scenario: Scenario
    log: Callable[[str], None] = print
    faults: list[Fault] = field(default_factory=list)

    def run(self, timeout: float = 900.0) -> tuple[Report, Monitor]:
        stack = self.stack
        worker = stack.start_worker("w0")
        feeder = Feeder(stack.bootstrap, stack.topic(topics.RAW), self.records, self.rate)
        monitor = Monitor(stack, feeder, interval=0.5).start()
        feeder.start()
        n = len(self.records)
        steps: list[tuple[float, str]] = [(self.scenario.leader_kill, "leader")]
        steps += [(share, "worker") for share in self.scenario.worker_kills]
        if self.scenario.second_worker:
            steps += [(self.scenario.second_worker[0], "join"), (self.scenario.second_worker[1], "leave")]
        restarts: list[threading.Thread] = []
        second = None
        kills = 0
        for share, what in sorted(steps):
            def reached(at: float = share * n) -> bool:
                return feeder.count >= at or not feeder.is_alive()

            monitor.wait(reached, timeout)
            if what == "leader":
                restarts.append(self._kill_leader())
            elif what == "worker":
                kills += 1
                fault = self._fault(f"worker SIGKILL {kills}", feeder)
                stack.stop_worker(worker, hard=True)
                worker = stack.start_worker(f"w{kills}")
                self.log(f"  {fault.name} at {fault.sent} inputs sent; a new worker ready "
                         f"{time.time() - fault.at:.1f} s later")
            elif what == "join":
                fault = self._fault("second worker joins", feeder)
                second = stack.start_worker("second")
                self.log(f"  {fault.name} at {fault.sent} inputs sent")
            elif what == "leave" and second is not None:
                fault = self._fault("second worker leaves (SIGTERM)", feeder)
                stack.stop_worker(second)
                self.log(f"  {fault.name} at {fault.sent} inputs sent")
        feeder.join()
        for thread in restarts:
            thread.join()
        ids = {key for key, _, _ in self.records}
        monitor.wait(lambda: ids <= monitor.decided_at.keys(), timeout)
        monitor.stop()
        self._recovery(monitor, feeder)
        return self._report(), monitor

    def _fault(self, name: str, feeder: Feeder) -> Fault:
        fault = Fault(name, time.time(), feeder.count)
        self.faults.append(fault)
        return fault

    def _kill_leader(self) -> threading.Thread:
        bootstrap = self.stack.bootstrap
        (node,) = [leader for leader in topics.leaders(bootstrap, self.stack.topic(topics.NORMALIZED)).values()
                   if leader is not None][:1]
        fault = Fault(f"SIGKILL node {node}, leader of wire.normalized", time.time(), 0)
        self.faults.append(fault)
        self.cluster.kill(node)
        self.log(f"  {fault.name}; started again in {self.restart_after:.0f} s")

        def restart() -> None:
            time.sleep(self.restart_after)
            self.log(f"  node {node}: {self.cluster.start(node)}")

        thread = threading.Thread(target=restart, daemon=True)
        thread.start()
        return thread

    def _recovery(self, monitor: Monitor, feeder: Feeder) -> None:
        order = [key for key, _, _ in self.records]
        for fault in self.faults:
            if fault.sent == 0:  # the leader kill: count from the feeder's record of send times
                fault.sent = sum(1 for key in order if feeder.sent.get(key, math.inf) <= fault.at)
            after = [t for t in monitor.decided_at.values() if t > fault.at]
            fault.resumed_s = min(after) - fault.at if after else None
            before = [monitor.decided_at.get(key) for key in order[: fault.sent]]
            if before and all(t is not None for t in before):
                fault.caught_up_s = max(0.0, max(t for t in before if t is not None) - fault.at)

    def _report(self) -> Report:
        stack = self.stack
        report = Report(inputs=len(self.records))
        ids = {key.decode() for key, _, _ in self.records}
        decisions = [r["value"] for r in read_topic(
            stack.bootstrap, stack.topic(topics.DECISIONS), timeout=120, isolation="read_committed",
            until=lambda got: ids <= {d["value"]["input_id"] for d in got})]
        report.decisions.update(d["input_id"] for d in decisions)
        report.replayed = sum(1 for n in report.decisions.values() if n > 1)
        report.aborted = len(read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), idle=0.5)) - len(decisions)
        out = stack.workdir / "offline"
        backlog_file = stack.workdir / "backlog.jsonl"
        backlog_file.write_bytes(b"\n".join(value for _, value, _ in self.records) + b"\n")
        run_offline(Settings.load({"partners_path": stack.partners}, env={}), [backlog_file], out)
        for pid_file in sorted((out / "partners").glob("*.jsonl")):
            offline = [(a["uri"], str(a["version"])) for a in map(orjson.loads, pid_file.read_bytes().splitlines())]
            kafka = [(r["value"]["uri"], str(r["value"]["version"])) for r in read_topic(
                stack.bootstrap, stack.topic(topics.partner_topic(pid_file.stem)), isolation="read_committed")]
            report.partners[pid_file.stem] = (kafka, offline)
        return report


def fault_table(faults: list[Fault]) -> list[str]:
    """The faults as printed lines: when, and the two recovery times."""

    def secs(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f} s"

    first = min((f.at for f in faults), default=0.0)
    lines = [f"  {'fault':<46} {'at':>7} {'sent':>6} {'resumed':>9} {'caught up':>10}"]
    lines += [f"  {f.name:<46} {f.at - first:>6.0f}s {f.sent:>6} {secs(f.resumed_s):>9} {secs(f.caught_up_s):>10}"
              for f in faults]
    return lines


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    base = args.base_port or settings.broker_port + 2
    records = chaos_inputs(args.inputs)
    scenario = Scenario.with_kills(args.worker_kills)
    print(f"chaos: {len(records)} inputs at {args.rate:.0f}/s on a 3-node cluster (ports {base}-{base + 5}); "
          f"{args.worker_kills} worker SIGKILLs, the wire.normalized leader SIGKILLed and back after "
          f"{args.restart_after:.0f} s, a second worker joining and leaving; {settings.processing_guarantee}")
    with tempfile.TemporaryDirectory() as tmp:
        cluster = own_cluster(settings, Path(tmp) / "cache", base)
        print(f"  {cluster.up(3)}")
        stack = Stack(cluster.bootstrap(), Path(tmp) / "stack",
                      extra_env={"SYNDICATE_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS)})
        try:
            stack.create_topics()
            chaos = Chaos(cluster, stack, records, args.rate, args.restart_after, scenario)
            report, monitor = chaos.run()
        finally:
            stack.stop_all()
            cluster.reset()
    problems = report.problems({key.decode() for key, _, _ in records},
                               exactly_once=settings.processing_guarantee == "exactly_once")
    return _print(report, monitor, chaos.faults, problems)


def _print(report: Report, monitor: Monitor, faults: list[Fault], problems: list[str]) -> int:
    delivered = sum(len(k) for k, _ in report.partners.values())
    twice = sum(len(report.delivered_twice(p)) for p in report.partners)
    undecided = report.inputs - len(report.decisions)
    print(*fault_table(faults), sep="\n")
    p99 = percentile(monitor.latencies, 0.99)
    print(f"chaos: {report.inputs} inputs, {undecided} without a decision, {report.replayed} decided twice, "
          f"{report.aborted} decision records aborted; {delivered} partner deliveries, {twice} (uri, version) "
          f"delivered twice; compared with `syndicate process`: {'OK' if not problems else 'FAILED'}; "
          f"produce-to-decision p99 {p99:.0f} ms over the run; worker max RSS {monitor.max_rss_mb:.0f} MB")
    for p in problems:
        print(f"  {p}")
    return 0 if not problems else 1
