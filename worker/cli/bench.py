"""``copydesk bench NAME``: the benchmarks in ``worker.bench``, with their own options."""

from __future__ import annotations

import importlib
import sys

import click

BENCHMARKS = {
    "extract": "worker.bench.extract",
    "fetch": "worker.bench.fetch",
    "metadata": "worker.bench.metadata",
    "dedup": "worker.bench.dedup",
    "dedup-scale": "worker.bench.dedup_scale",
    "load": "worker.bench.load",
}


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,  # --help goes to the benchmark, which lists its own options
)
@click.argument("name", type=click.Choice(sorted(BENCHMARKS)))
@click.pass_context
def bench(context: click.Context, name: str) -> None:
    """Score copydesk beside the reference tools (pip install 'copydesk[bench]')."""
    module = importlib.import_module(BENCHMARKS[name])
    sys.exit(module.main(list(context.args)))
