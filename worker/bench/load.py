"""End-to-end load benchmark: URLs through the whole system, beside the pipeline users would build.

One command, one run:

1. Serves the pages of ``shared/eval`` (article-body and snippets) from loopback HTTP
   servers on several 127.0.0.x hosts, each page under as many copies as it takes to
   reach ``--urls`` distinct URLs.
2. Starts copydesk as on a 2-core machine: a processing worker (prefork, 2 processes)
   and a fetch worker (threads), on the local Redis with queues, keys and dedup index of
   their own (removed afterwards), storing to SQLite in a temporary directory (and to
   PostgreSQL with ``--postgres``).
3. Submits every URL with ``copydesk submit``, waits until each has ended and reports
   pages/s end to end, the in-process rate of ``extract_article`` on the same pages,
   CPU per page and queue overhead, memory of each worker process over the run, and
   the final status of every URL.
4. Runs the same URLs through a Celery pipeline running trafilatura
   (:mod:`worker.bench.load_reference`) and prints copydesk's ratio to it.

    python -m worker.bench.load [--urls N] [--skip-reference] [--json-out PATH] [--postgres URL]

Other ``COPYDESK_*`` settings in the environment reach copydesk's workers (say
``COPYDESK_WORKER_MAX_TASKS_PER_CHILD``); those that isolate the run are overridden.
Workers log at INFO, as ``copydesk worker`` does by default: their log lines give each
task's run time, its retries and any task run twice.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # nosec B404 - runs copydesk's own command line
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import redis
from celery import Celery

from config import Settings, get_settings
from worker.bench import load_reference
from worker.bench.evalsets import article_body_cases, snippet_cases
from worker.bench.load_print import report_lines
from worker.bench.load_proc import MemoryProfile, MemorySampler, memory_profiles, worker_cpu_seconds
from worker.bench.load_results import Outcome, ResultReader, TaskLog, task_logs, wait_for_outcomes
from worker.bench.load_server import (
    PageResponses,
    PageServers,
    Site,
    first_copy_url,
    loopback_hosts,
    page_urls,
    start_page_servers,
)
from worker.bench.load_workers import RunningWorker, WorkerSpec, running_workers
from worker.models import RawPage
from worker.pipeline import extract_article
from worker.stores import open_stores

DEFAULT_URLS = 10_000
#: Distinct loopback hosts: consecutive URLs go to different hosts.
HOSTS = 16
#: Requests per second allowed per host; copydesk's turns are at least 1 ms apart anyway.
HOST_RATE_PER_S = 1000.0
SERVER_PROCESSES = 2
FETCH_THREADS = 8
CPU_PROCESSES = 2
SERVED_CONTENT_TYPE = "text/html"
#: Targets of issue 8, and the reference pipeline's rate measured when it was filed.
TARGET_VS_REFERENCE = 4.0
TARGET_OF_TWO_CORES = 0.75
ISSUE_REFERENCE_PAGES_PER_S = 69.0
#: Memory counts as flat when the last third's largest process is within this of the middle's.
FLAT_MEMORY_GROWTH = 0.10


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """The command's options."""

    urls: int
    redis_url: str
    postgres_url: str | None
    skip_reference: bool
    fetch_threads: int
    timeout_s: float
    json_out: Path | None = None


@dataclass(frozen=True, slots=True)
class Deployment:
    """One system under test: its workers, their settings, and how URLs are submitted."""

    name: str
    workers: Sequence[WorkerSpec]
    env: Mapping[str, str]
    control: Celery
    submit: Callable[[Sequence[str]], dict[str, str]]


@dataclass(frozen=True, slots=True)
class PipelineRun:
    """What one system did with the URLs."""

    name: str
    seconds: float
    submit_seconds: float
    outcomes: dict[str, Outcome]
    memory: dict[str, MemoryProfile]
    cpu_s: dict[str, float]
    tasks: dict[str, TaskLog]

    @property
    def pages_per_s(self) -> float:
        return len(self.outcomes) / self.seconds if self.seconds else 0.0

    def workers_cpu_ms_per_page(self) -> float:
        """CPU of the workers' processes per page (the page server's left out)."""
        seconds = sum(cpu for role, cpu in self.cpu_s.items() if role != "page server")
        return seconds * 1000 / len(self.outcomes)

    def idle_cores_pages_per_s(self) -> float:
        """The rate two idle cores would give at this CPU per page (workers and page server).

        A projection that a busy machine cannot spoil; it leaves out Redis's own CPU.
        """
        serving_ms = self.cpu_s.get("page server", 0.0) * 1000 / len(self.outcomes)
        return CPU_PROCESSES * 1000 / (self.workers_cpu_ms_per_page() + serving_ms)


@dataclass(frozen=True, slots=True)
class Pass:
    """Seconds one pass over the pages took, on the clock and in CPU time."""

    wall_s: float
    cpu_s: float


@dataclass(frozen=True, slots=True)
class InProcessRate:
    """``extract_article`` over the distinct pages, one after another in this process.

    The first pass meets the pages with cold caches, as a fresh pool process does; the
    second runs warm, as a long-lived one does (htmldate and dateparser build much of
    their state on first use).
    """

    pages: int
    first: Pass
    warm: Pass

    def rate(self, elapsed_s: float) -> float:
        return self.pages / elapsed_s if elapsed_s else 0.0


# --- the pages ------------------------------------------------------------------


def eval_pages() -> list[bytes]:
    """The HTML of every page of the article-body and snippets sets."""
    return [case.html for case in article_body_cases()] + [case.html for case in snippet_cases()]


def measure_in_process(bodies: Sequence[bytes], sites: Sequence[Site]) -> InProcessRate:
    """Time ``extract_article`` over ``bodies`` at the URLs they are first served at."""
    pages = [
        RawPage(url=first_copy_url(sites, index), body=body, content_type=SERVED_CONTENT_TYPE)
        for index, body in enumerate(bodies)
    ]
    first = _timed_pass(pages)
    return InProcessRate(len(pages), first=first, warm=_timed_pass(pages))


def _timed_pass(pages: Sequence[RawPage]) -> Pass:
    max_chars = get_settings().max_parse_chars
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        extract_article(page, max_chars)
    return Pass(time.perf_counter() - wall, time.process_time() - cpu)


# --- the two systems --------------------------------------------------------------


def copydesk_env(
    config: LoadConfig, namespace: str, data_dir: Path, hosts: Sequence[str]
) -> dict[str, str]:
    """The environment of an isolated copydesk: its own queues, keys, index and store."""
    env = dict(os.environ)
    env.update(
        COPYDESK_DATA_DIR=str(data_dir),
        COPYDESK_REDIS_URL=config.redis_url,
        COPYDESK_FETCH_QUEUE=f"{namespace}-fetch",
        COPYDESK_PROCESS_QUEUE=f"{namespace}-process",
        COPYDESK_STORE_QUEUE=f"{namespace}-store",
        COPYDESK_REDIS_PREFIX=namespace,
        COPYDESK_DEDUP_NAMESPACE=namespace,
        COPYDESK_FETCH_KEY_PREFIX=f"{namespace}:fetch",
        COPYDESK_STREAM_NAME=f"{namespace}:articles",
        COPYDESK_ALLOW_HOSTS="127.0.0.0/8",
        COPYDESK_HOST_RATES=",".join(f"{host}={HOST_RATE_PER_S:g}" for host in hosts),
        COPYDESK_STORES="sqlite,postgres" if config.postgres_url else "sqlite",
    )
    if config.postgres_url:
        env["COPYDESK_POSTGRES_URL"] = config.postgres_url
    return env


def copydesk_deployment(config: LoadConfig, env: Mapping[str, str]) -> Deployment:
    queues = {name: env[f"COPYDESK_{name.upper()}_QUEUE"] for name in ("fetch", "process", "store")}
    workers = (
        WorkerSpec(
            "process", "worker.app", (queues["process"], queues["store"]), "prefork", CPU_PROCESSES
        ),
        WorkerSpec("fetch", "worker.app", (queues["fetch"],), "threads", config.fetch_threads),
    )
    control = Celery("load-control", broker=config.redis_url, backend=config.redis_url)
    return Deployment(
        "copydesk", workers, env, control, lambda urls: submit_with_copydesk(urls, env)
    )


def submit_with_copydesk(urls: Sequence[str], env: Mapping[str, str]) -> dict[str, str]:
    """``copydesk submit --file``, as a user would run it: URL -> fetch task id."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as listing:
        listing.write("\n".join(urls))
        listing.flush()
        command = [
            sys.executable,
            "-c",
            "from worker.cli import main; main()",
            "submit",
            "--file",
            listing.name,
        ]
        done = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        print(f"copydesk submit exited {done.returncode}: {done.stderr[-2000:]}", file=sys.stderr)
    pairs = (line.split(None, 1) for line in done.stdout.splitlines())
    return {source: task_id for task_id, source in (pair for pair in pairs if len(pair) == 2)}


def reference_deployment(config: LoadConfig, namespace: str) -> Deployment:
    queue = f"{namespace}-reference"
    env = {
        **os.environ,
        load_reference.REDIS_URL_VARIABLE: config.redis_url,
        load_reference.QUEUE_VARIABLE: queue,
    }
    worker = WorkerSpec(
        "reference", "worker.bench.load_reference", (queue,), "prefork", CPU_PROCESSES
    )
    app = load_reference.reference_app(config.redis_url, queue)

    def submit(urls: Sequence[str]) -> dict[str, str]:
        return {
            url: app.send_task(load_reference.TASK_NAME, (url,), queue=queue).id for url in urls
        }

    return Deployment("reference", (worker,), env, app, submit)


# --- one run ------------------------------------------------------------------------


def run_pipeline(
    deployment: Deployment,
    urls: Sequence[str],
    servers: PageServers,
    log_dir: Path,
    timeout_s: float,
) -> PipelineRun:
    """Start the deployment's workers, push ``urls`` through, and measure until all ended."""
    reader = ResultReader(deployment.control.backend)
    tag = uuid.uuid4().hex[:8]
    with running_workers(
        deployment.workers, deployment.env, log_dir, tag, deployment.control
    ) as workers:
        mains = {worker.spec.name: worker.pid for worker in workers}
        cpu = _cpu_by_role(mains, servers)
        with MemorySampler(mains) as sampler:
            started_at, started = time.time(), time.monotonic()
            submitted = deployment.submit(urls)
            submit_s = time.monotonic() - started
            wait = wait_for_outcomes(reader, submitted, timeout_s)
            ended = time.monotonic()
        cpu = {role: seconds - cpu[role] for role, seconds in _cpu_by_role(mains, servers).items()}
    reader.forget(wait.task_ids)
    outcomes = {
        url: wait.outcomes.get(url, Outcome("missing", "not queued by submit")) for url in urls
    }
    return PipelineRun(
        name=deployment.name,
        seconds=_elapsed(outcomes, started_at, ended - started),
        submit_seconds=submit_s,
        outcomes=outcomes,
        memory=memory_profiles(sampler.samples, started, ended),
        cpu_s=cpu,
        tasks=_task_logs(workers),
    )


def _cpu_by_role(mains: Mapping[str, int], servers: PageServers) -> dict[str, float]:
    cpu = {"page server": sum(sum(worker_cpu_seconds(pid)) for pid in servers.pids)}
    for name, pid in mains.items():
        cpu[f"{name} main"], cpu[f"{name} pool"] = worker_cpu_seconds(pid)
    return cpu


def _elapsed(outcomes: Mapping[str, Outcome], started_at: float, observed_s: float) -> float:
    """Seconds from the start of submission to the last task's end, as the backend recorded it."""
    finished = [outcome.done_at.timestamp() for outcome in outcomes.values() if outcome.done_at]
    return max(finished) - started_at if finished else observed_s


def _task_logs(workers: Sequence[RunningWorker]) -> dict[str, TaskLog]:
    logs: dict[str, TaskLog] = {}
    for worker in workers:
        with worker.log.open(encoding="utf-8", errors="replace") as lines:
            logs.update(task_logs(lines))
    return logs


def drop_keys(redis_url: str, namespace: str) -> int:
    """Delete every key named after the run's namespace (queues, index, politeness state)."""
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"*{namespace}*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    client.close()
    return len(keys)


# --- the report -------------------------------------------------------------------


def run_summary(run: PipelineRun) -> dict[str, Any]:
    """A run's figures as JSON-ready data."""
    statuses = Counter(outcome.status for outcome in run.outcomes.values())
    reasons = Counter(
        outcome.reason for outcome in run.outcomes.values() if outcome.status == "failed"
    )
    stores = Counter(
        f"{name}: {value}"
        for outcome in run.outcomes.values()
        for name, value in outcome.stores.items()
    )
    pages = len(run.outcomes)
    return {
        "pages_per_s": round(run.pages_per_s, 1),
        "idle_cores_pages_per_s": round(run.idle_cores_pages_per_s(), 1),
        "seconds": round(run.seconds, 2),
        "submit_seconds": round(run.submit_seconds, 2),
        "submitted": pages,
        "accounted": pages - statuses["missing"],
        "missing": statuses["missing"],
        "statuses": dict(statuses.most_common()),
        "failure_reasons": dict(reasons.most_common(10)),
        "store_outcomes": dict(stores.most_common()),
        "cpu_ms_per_page": {
            role: round(seconds * 1000 / pages, 2) for role, seconds in run.cpu_s.items()
        },
        "tasks": {name: asdict(log) for name, log in run.tasks.items()},
        "memory_mib": {role: asdict(profile) for role, profile in run.memory.items()},
    }


def cpu_overhead(run: PipelineRun, in_process: InProcessRate) -> dict[str, float]:
    """copydesk's CPU per page beside ``extract_article``'s own, and what queueing costs.

    Measured in CPU time, so that other processes on the machine do not inflate it. The
    processing worker's main process only consumes, dispatches and acknowledges tasks:
    its CPU per page is the queue's cost on the CPU-bound side.
    """
    workers_ms = run.workers_cpu_ms_per_page()
    first_ms = in_process.first.cpu_s * 1000 / in_process.pages
    warm_ms = in_process.warm.cpu_s * 1000 / in_process.pages
    dispatch_ms = run.cpu_s.get("process main", 0.0) * 1000 / len(run.outcomes)
    return {
        "workers_ms_per_page": round(workers_ms, 2),
        "extraction_first_pass_ms_per_page": round(first_ms, 2),
        "extraction_warm_ms_per_page": round(warm_ms, 2),
        "share_outside_extraction_first_pass": round(1 - first_ms / workers_ms, 3),
        "share_outside_extraction_warm": round(1 - warm_ms / workers_ms, 3),
        "dispatch_ms_per_page": round(dispatch_ms, 2),
        "dispatch_share": round(dispatch_ms / workers_ms, 3),
    }


def in_process_summary(in_process: InProcessRate) -> dict[str, Any]:
    return {
        "pages": in_process.pages,
        "pages_per_s_one_core": round(in_process.rate(in_process.warm.wall_s), 1),
        "pages_per_s_one_core_cpu_time": round(in_process.rate(in_process.warm.cpu_s), 1),
        "first_pass_pages_per_s_cpu_time": round(in_process.rate(in_process.first.cpu_s), 1),
        "pages_per_s_two_cores": round(CPU_PROCESSES * in_process.rate(in_process.warm.wall_s), 1),
    }


def ratios(
    copydesk: PipelineRun, in_process: InProcessRate, reference: PipelineRun | None
) -> dict[str, float | None]:
    """copydesk against its targets: by the clock, and projected from CPU per page."""
    two_cores = CPU_PROCESSES * in_process.rate(in_process.warm.wall_s)
    two_cores_cpu = CPU_PROCESSES * in_process.rate(in_process.warm.cpu_s)
    projected = copydesk.idle_cores_pages_per_s()
    return {
        "of_two_cores": round(copydesk.pages_per_s / two_cores, 3),
        "of_two_cores_by_cpu": round(projected / two_cores_cpu, 3),
        "vs_reference": round(copydesk.pages_per_s / reference.pages_per_s, 2)
        if reference
        else None,
        "vs_reference_by_cpu": round(projected / reference.idle_cores_pages_per_s(), 2)
        if reference
        else None,
    }


def build_report(
    setup: dict[str, Any],
    copydesk: PipelineRun,
    in_process: InProcessRate,
    reference: PipelineRun | None,
) -> dict[str, Any]:
    return {
        "setup": setup,
        "copydesk": {**run_summary(copydesk), "overhead": cpu_overhead(copydesk, in_process)},
        "in_process": in_process_summary(in_process),
        "reference": run_summary(reference) if reference else None,
        "targets": {
            "vs_reference": TARGET_VS_REFERENCE,
            "of_two_cores": TARGET_OF_TWO_CORES,
            "reference_pages_per_s_in_issue": ISSUE_REFERENCE_PAGES_PER_S,
            "flat_memory_growth": FLAT_MEMORY_GROWTH,
        },
        "ratios": ratios(copydesk, in_process, reference),
        "memory_growth": memory_growth(copydesk.memory),
    }


def memory_growth(memory: Mapping[str, MemoryProfile]) -> dict[str, float]:
    """Per role, how much larger its largest process was in the last third than in the middle.

    The first third holds the warm-up (fresh pool processes filling their caches); growth
    after it is what would go on without bound.
    """
    return {
        role: round(profile.phases["end"] / profile.phases["middle"] - 1, 3)
        for role, profile in memory.items()
        if "middle" in profile.phases and "end" in profile.phases
    }


# --- the command --------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> LoadConfig:
    parser = argparse.ArgumentParser(
        prog="copydesk bench load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--urls", type=int, default=DEFAULT_URLS, help="URLs to push through")
    parser.add_argument(
        "--skip-reference", action="store_true", help="skip the trafilatura pipeline"
    )
    parser.add_argument("--json-out", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="store to this PostgreSQL database too (a scratch one: rows stay)",
    )
    parser.add_argument(
        "--redis", metavar="URL", default="redis://127.0.0.1:6379/0", help="%(default)s"
    )
    parser.add_argument(
        "--fetch-threads", type=int, default=FETCH_THREADS, help="threads of the fetch worker"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="seconds to wait for each pipeline"
    )
    args = parser.parse_args(argv)
    if args.urls < 1:
        parser.error("--urls must be at least 1")
    return LoadConfig(
        urls=args.urls,
        redis_url=args.redis,
        postgres_url=args.postgres,
        skip_reference=args.skip_reference,
        fetch_threads=args.fetch_threads,
        timeout_s=args.timeout,
        json_out=args.json_out,
    )


def check_stores(config: LoadConfig, data_dir: Path) -> None:
    """Open the stores here first: one that cannot open fails before any worker starts."""
    if config.postgres_url is None:
        return
    settings = Settings(
        data_dir=data_dir, stores=("sqlite", "postgres"), postgres_url=config.postgres_url
    )
    for store in open_stores(settings):
        store.close()


def run_load(config: LoadConfig, bodies: Sequence[bytes]) -> dict[str, Any]:
    """Serve ``bodies``, run both pipelines and the in-process rate; the report."""
    namespace = f"load-{uuid.uuid4().hex[:10]}"
    servers = start_page_servers(
        PageResponses(bodies, SERVED_CONTENT_TYPE), loopback_hosts(HOSTS), SERVER_PROCESSES
    )
    try:
        with tempfile.TemporaryDirectory(prefix="copydesk-load-") as scratch:
            return _measure(config, bodies, servers, namespace, Path(scratch))
    finally:
        servers.stop()
        drop_keys(config.redis_url, namespace)


def _measure(
    config: LoadConfig, bodies: Sequence[bytes], servers: PageServers, namespace: str, scratch: Path
) -> dict[str, Any]:
    check_stores(config, scratch)
    urls = page_urls(servers.sites, len(bodies), config.urls)
    env = copydesk_env(config, namespace, scratch, [site.host for site in servers.sites])
    load_before = os.getloadavg()[0]
    copydesk = run_pipeline(
        copydesk_deployment(config, env), urls, servers, scratch, config.timeout_s
    )
    reference = None
    if not config.skip_reference:
        deployment = reference_deployment(config, namespace)
        reference = run_pipeline(deployment, urls, servers, scratch, config.timeout_s)
    in_process = measure_in_process(bodies[: config.urls], servers.sites)
    setup = {
        "urls": config.urls,
        "distinct_pages": min(len(bodies), config.urls),
        "hosts": len(servers.sites),
        "host_rate_per_s": HOST_RATE_PER_S,
        "page_server_processes": len(servers.processes),
        "cpus": os.cpu_count(),
        "process_worker": f"prefork x{CPU_PROCESSES}",
        "fetch_worker": f"threads x{config.fetch_threads}",
        "stores": env["COPYDESK_STORES"],
        "namespace": namespace,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    return build_report(setup, copydesk, in_process, reference)


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    report = run_load(config, eval_pages())
    print("\n".join(report_lines(report)))
    if config.json_out is not None:
        config.json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    missing = report["copydesk"]["missing"] + (report["reference"] or {}).get("missing", 0)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
