"""Our own log lines (index builds, reloads, faults) reach the process's output.

uvicorn configures only its own loggers; without this, INFO lines of ``knowledge``,
``docstore`` and ``api`` (e.g. "now serving index build …") would be dropped.
"""

from __future__ import annotations

import logging

OUR_LOGGERS = ("api", "docstore", "knowledge", "records", "staff")


def configure_logging(level: str = "INFO") -> None:
    """Give the root logger a handler when nobody has (a host that configured logging, such
    as pytest, is left alone), and let our loggers through at ``level``; other libraries stay
    at the root's WARNING."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    for name in OUR_LOGGERS:
        logging.getLogger(name).setLevel(level)
