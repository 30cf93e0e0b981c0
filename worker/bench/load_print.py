"""The load benchmark's report as text: figures beside their targets, then the details."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def report_lines(report: Mapping[str, Any]) -> list[str]:
    """The whole report, line by line."""
    lines = [*_setup(report["setup"]), "", *_headline(report), ""]
    lines += _run("copydesk", report["copydesk"], report["targets"]["flat_memory_growth"])
    if report["reference"]:
        lines += [
            "",
            *_run("reference (Celery + requests + trafilatura)", report["reference"], None),
        ]
    return lines


def _setup(setup: Mapping[str, Any]) -> Iterator[str]:
    yield (
        f"copydesk load benchmark: {setup['urls']} URLs ({setup['distinct_pages']} distinct pages "
        f"of shared/eval, served as copies under other paths) from {setup['hosts']} loopback hosts"
    )
    yield (
        f"  copydesk workers: processing {setup['process_worker']}, fetch {setup['fetch_worker']}; "
        f"stores: {setup['stores']}; page servers: {setup['page_server_processes']} processes"
    )
    yield (
        "  politeness lifted for the benchmark: COPYDESK_HOST_RATES="
        f"{setup['host_rate_per_s']:g}/s per loopback host (copydesk's floor is one request per "
        "host per ms); robots.txt obeyed"
    )
    yield (
        f"  machine: {setup['cpus']} CPUs, load average {setup['load_average_before']} before, "
        f"{setup['load_average_after']} after: other processes share the cores, figures are noisy"
    )


def _headline(report: Mapping[str, Any]) -> Iterator[str]:
    copydesk, ratios, targets = report["copydesk"], report["ratios"], report["targets"]
    yield _row("", "measured", "projected*", "target")
    yield _row(
        "copydesk end to end, pages/s",
        f"{copydesk['pages_per_s']:.1f}",
        f"{copydesk['idle_cores_pages_per_s']:.1f}",
    )
    yield _row(
        "  of two cores' in-process rate",
        f"{ratios['of_two_cores']:.0%}",
        f"{ratios['of_two_cores_by_cpu']:.0%}",
        f">= {targets['of_two_cores']:.0%}",
    )
    if report["reference"]:
        reference = report["reference"]
        yield _row(
            "  vs the trafilatura pipeline",
            f"{ratios['vs_reference']:.2f}x",
            f"{ratios['vs_reference_by_cpu']:.2f}x",
            f">= {targets['vs_reference']:g}x",
        )
        yield _row(
            "trafilatura pipeline end to end, pages/s",
            f"{reference['pages_per_s']:.1f}",
            f"{reference['idle_cores_pages_per_s']:.1f}",
            f"(issue: {targets['reference_pages_per_s_in_issue']:g})",
        )
    yield _row(
        "memory growth, middle to last third",
        _growth(report["memory_growth"]),
        "",
        f"<= {targets['flat_memory_growth']:.0%}",
    )
    yield from _in_process(report["in_process"])
    yield "* two idle cores at the CPU per page measured (Redis's own CPU left out)"


def _in_process(in_process: Mapping[str, Any]) -> Iterator[str]:
    yield (
        f"extract_article in this process, {in_process['pages']} pages, one core: "
        f"{in_process['pages_per_s_one_core']:.1f} pages/s (x2 = "
        f"{in_process['pages_per_s_two_cores']:.1f}); by CPU time "
        f"{in_process['pages_per_s_one_core_cpu_time']:.1f} warm, "
        f"{in_process['first_pass_pages_per_s_cpu_time']:.1f} on the first pass"
    )


def _row(label: str, measured: str, projected: str, target: str = "") -> str:
    return f"{label:42}{measured:>10}{projected:>12}  {target}".rstrip()


def _growth(growth: Mapping[str, float]) -> str:
    return f"{max(growth.values()):+.0%}" if growth else "n/a"


def _run(title: str, run: Mapping[str, Any], flat_limit: float | None) -> Iterator[str]:
    yield (
        f"{title}: {run['submitted']} submitted, {run['accounted']} accounted for, "
        f"{run['missing']} missing; {run['seconds']:.1f} s "
        f"(submitting took {run['submit_seconds']:.1f} s)"
    )
    yield f"  final status: {_counts(run['statuses'])}"
    if run["failure_reasons"]:
        yield f"  failures: {_counts(run['failure_reasons'])}"
    if run["store_outcomes"]:
        yield f"  store outcomes: {_counts(run['store_outcomes'])}"
    for name, log in run["tasks"].items():
        per_task = log["runtime_s"] * 1000 / log["succeeded"] if log["succeeded"] else 0.0
        yield (
            f"  {name}: {log['succeeded']} succeeded, {per_task:.1f} ms in task on average (wall), "
            f"{log['retries']} retries, {log['repeated']} run twice"
        )
    yield "  CPU per page: " + ", ".join(
        f"{role} {ms:.2f} ms" for role, ms in run["cpu_ms_per_page"].items() if ms
    )
    if run.get("overhead"):
        yield from _overhead(run["overhead"])
    yield from _memory(run["memory_mib"], flat_limit)


def _overhead(overhead: Mapping[str, float]) -> Iterator[str]:
    yield (
        f"  outside extract_article: {overhead['share_outside_extraction_first_pass']:.0%} to "
        f"{overhead['share_outside_extraction_warm']:.0%} of the workers' "
        f"{overhead['workers_ms_per_page']:.1f} ms CPU per page (extraction costs "
        f"{overhead['extraction_first_pass_ms_per_page']:.1f} ms on a first pass, "
        f"{overhead['extraction_warm_ms_per_page']:.1f} warm): fetching, queues, dedup, store"
    )
    yield (
        "  queue overhead: the processing worker's main process (consume, dispatch, "
        f"acknowledge, events) takes {overhead['dispatch_ms_per_page']:.2f} ms CPU per page, "
        f"{overhead['dispatch_share']:.0%} of the workers' CPU"
    )


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _memory(memory: Mapping[str, Any], flat_limit: float | None) -> Iterator[str]:
    yield "  memory (MiB, largest process in the first / middle / last third of the run; peak):"
    for role, profile in memory.items():
        phases = "  ".join(
            f"{profile['phases'].get(phase, float('nan')):7.1f}"
            for phase in ("start", "middle", "end")
        )
        yield (
            f"    {role:16}{phases}   peak {profile['peak_mib']:.1f} "
            f"({profile['processes']} process{'es' if profile['processes'] != 1 else ''})"
            f"{_flatness(profile['phases'], flat_limit)}"
        )


def _flatness(phases: Mapping[str, float], flat_limit: float | None) -> str:
    if flat_limit is None or "middle" not in phases or "end" not in phases:
        return ""
    growth = phases["end"] / phases["middle"] - 1
    return f"  {'flat' if growth <= flat_limit else 'GROWING'} ({growth:+.1%})"
