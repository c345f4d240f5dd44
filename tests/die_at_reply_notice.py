"""`python -m tests.die_at_reply_notice run`: the bot, killed with SIGKILL the first time it is about to queue a
reply's notice (once the reply is written, before the notice is). A marker file next to the database says it
died already, so the restart runs normally. Used by tests/test_reply_notice_crash.py."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from bot import __main__ as entry
from bot.notify import Notifier

MARKER = Path("died-at-reply-notice")
tell = Notifier.tell


async def tell_or_die(self: Notifier, user_id: int, key: str, **kwargs: object) -> bool:
    if key == "reply_notice" and not MARKER.exists():
        MARKER.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return await tell(self, user_id, key, **kwargs)  # type: ignore[arg-type]


Notifier.tell = tell_or_die  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(entry.main())
