"""Logging for copydesk processes: one format, the level from settings or the command line."""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"


def configure_logging(level: str | int) -> None:
    """Send every logger's records to stderr in one format, at ``level`` and above."""
    logging.basicConfig(level=level, format=LOG_FORMAT, force=True)
