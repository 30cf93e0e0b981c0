"""Operating a deployment: the failed list, replays, worker health."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click


@click.command()
@click.option("--limit", type=int, default=50, show_default=True)
def failed(limit: int) -> None:
    """List failed tasks, newest first, with their reasons."""
    from worker.runtime import dead_letters

    letters = dead_letters().list(limit)
    for letter in letters:
        when = datetime.fromtimestamp(letter.failed_at, UTC).isoformat(timespec="seconds")
        why = f"{letter.reason}: {letter.error}"
        click.echo(f"{letter.task_id}  {when}  {letter.task}  {why}  {letter.source}")
    click.echo(f"{dead_letters().count()} failed", err=True)


@click.command()
@click.argument("task_ids", nargs=-1)
@click.option("--all", "replay_all", is_flag=True, help="Replay every failed task.")
def replay(task_ids: tuple[str, ...], replay_all: bool) -> None:
    """Queue failed tasks again (after fixing what made them fail)."""
    from worker.app import app
    from worker.runtime import dead_letters

    letters = dead_letters()
    if replay_all:
        task_ids = tuple(letter.task_id for letter in letters.list(letters.count()))
    if not task_ids:
        raise click.UsageError("give TASK_IDs or --all")
    missing = 0
    for task_id in task_ids:
        letter = letters.take(task_id)
        if letter is None:
            click.echo(f"error: {task_id}: not in the failed list", err=True)
            missing += 1
            continue
        result = app.send_task(letter.task, args=letter.args)
        click.echo(f"{result.id}  {letter.source}")
    sys.exit(1 if missing else 0)


@click.command()
@click.option("--host", default=None, help="Judge workers on this host (default: this machine).")
def health(host: str | None) -> None:
    """Exit 0 when a worker on this host made progress within the heartbeat lifetime."""
    from config import get_settings
    from worker.connections import redis_client
    from worker.heartbeat import live_nodes, this_host

    nodes = live_nodes(redis_client(), get_settings().redis_prefix, host or this_host())
    for node in nodes:
        click.echo(f"alive: {node}")
    if not nodes:
        click.echo("no worker on this host made progress recently", err=True)
    sys.exit(0 if nodes else 1)
