"""Time as an input: services take a Clock so tests can start it anywhere (near zero, across midnight, DST)."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the Unix epoch (wall time, for stored timestamps and comparisons with them)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes back; may be close to 0 on a freshly booted host."""
        ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to; `monotonic` starts where asked (0.0 by default, like a fresh boot)."""

    def __init__(self, wall: float = 1_764_000_000.0, monotonic: float = 0.0) -> None:
        self._wall = wall
        self._monotonic = monotonic

    def time(self) -> float:
        return self._wall

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        self._wall += seconds
        self._monotonic += seconds


SYSTEM_CLOCK: Clock = SystemClock()
