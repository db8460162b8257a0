"""briefings: per-country news briefings in which every sentence is cited and verified."""

import logging

__version__ = "0.1.0"

# A library stays quiet unless its user configures logging; the CLI routes these loggers through its
# Reporter (plain, rich or JSON lines), never through Python's last-resort handler.
logging.getLogger(__name__).addHandler(logging.NullHandler())
