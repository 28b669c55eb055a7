"""The user's own folders for Koordinator (platformdirs): data (local databases), config (the chosen
connection) and logs. One place, so every layer asks the same question the same way; tests point them into a
temporary home through ``HOME`` and ``XDG_*``."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_log_dir

APP_NAME = "Koordinator"


def data_dir() -> Path:
    """e.g. ``~/.local/share/Koordinator``: local databases and their backups."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """e.g. ``~/.config/Koordinator``: ``forbindelse.json``."""
    return Path(user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """e.g. ``~/.local/state/Koordinator/log``: ``koordinator.log`` and crash reports."""
    return Path(user_log_dir(APP_NAME, appauthor=False))
