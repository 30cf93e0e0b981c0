from __future__ import annotations

import logging
import subprocess
import sys

from config.logging import LOG_FORMAT, configure_logging


def test_one_format_at_the_level_asked() -> None:
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    try:
        configure_logging("WARNING")
        assert root.level == logging.WARNING
        [handler] = root.handlers
        assert handler.formatter is not None and handler.formatter._fmt == LOG_FORMAT
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]


def test_a_worker_logs_in_copydesk_format() -> None:
    code = (
        "from celery.signals import setup_logging; import worker.app, logging;"
        "setup_logging.send(sender=None, loglevel='DEBUG', logfile=None, format='',"
        " colorize=False); logging.getLogger('copydesk.test').debug('hello')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert "DEBUG MainProcess copydesk.test: hello" in result.stderr
