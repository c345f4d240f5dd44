"""Turning sqlite rows into frozen dataclasses."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import aiosqlite


def from_row[T](cls: type[T], row: aiosqlite.Row) -> T:
    """Build `cls` from the columns of `row` that are its fields."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {key: row[key] for key in row.keys() if key in names}  # noqa: SIM118
    return cls(**values)
