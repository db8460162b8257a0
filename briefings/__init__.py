"""briefings: per-country news briefings in which every sentence is cited and verified."""

__version__ = "0.1.0"
