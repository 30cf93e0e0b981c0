"""The ``copydesk`` command line."""

from __future__ import annotations

import click

from worker.cli import bench, local, operations, queue, run, stored


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """copydesk: news URLs and raw pages in, clean deduplicated articles out."""


for command in (
    run.run,
    run.worker,
    run.shutdown,
    queue.submit,
    queue.ingest,
    queue.status,
    queue.watch,
    operations.failed,
    operations.replay,
    operations.health,
    local.extract,
    local.stories,
    stored.show,
    stored.export,
    local.dedup,
    bench.bench,
):
    cli.add_command(command)


def main() -> None:
    cli()
