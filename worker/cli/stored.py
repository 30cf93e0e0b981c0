"""Looking at what the stores hold."""

from __future__ import annotations

import json
import sys

import click

from config import get_settings
from worker.stores import open_reader


@click.command()
@click.argument("key")
def show(key: str) -> None:
    """Show a stored article by canonical URL, URL or id, as JSON."""
    reader = open_reader(get_settings())
    try:
        record = reader.get(key)
    finally:
        reader.close()
    if record is None:
        click.echo(f"error: {key}: no such article", err=True)
        sys.exit(1)
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@click.command()
@click.option(
    "--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl", show_default=True
)
def export(output_format: str) -> None:
    """Write every stored article to standard output, one JSON object a line."""
    reader = open_reader(get_settings())
    try:
        for record in reader.articles():
            click.echo(json.dumps(record, ensure_ascii=False))
    finally:
        reader.close()
