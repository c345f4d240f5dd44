"""A new installation's first day, driven through the fake Telegram: what an admin and a reader meet."""

from __future__ import annotations

import re
from pathlib import Path

from bot import config


def test_every_setting_is_documented_in_env_example_and_explained_when_wrong() -> None:
    """An operator setting up from .env.example finds every name bot/config.py reads, and a wrong value is
    answered with what it should be; no module constant of bot/config.py looks like a setting."""
    names = {str(field.alias) for field in config.Settings.model_fields.values()}
    example = (Path(__file__).parent.parent / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert names - listed == set(), "settings missing from .env.example"
    assert listed - names == set(), ".env.example names no setting"
    assert names - set(config.EXPECTED) == set(), "settings without an explanation for a wrong value"
    constants = {name for name in vars(config) if re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}
    assert constants - {"EXPECTED"} == set(), "public constants a reader may take for settings"
