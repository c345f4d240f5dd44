"""Which update the running task handles, for changes that must happen once per update.

The inbox (bot/inbox.py) hands an update over again when a crash cut its handling short (at-least-once). A
service whose change must not repeat (a sanction: stored, audited, carried to the group) records it with the
update's id in the same transaction (`update_effects`), and a second handling finds it there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_CURRENT: ContextVar[int | None] = ContextVar("current_update", default=None)


def current_update() -> int | None:
    """The id of the update this task handles; None outside one (a scheduled job, the Mini App, a test)."""
    return _CURRENT.get()


@contextmanager
def handling(update_id: int) -> Iterator[None]:
    token = _CURRENT.set(update_id)
    try:
        yield
    finally:
        _CURRENT.reset(token)
