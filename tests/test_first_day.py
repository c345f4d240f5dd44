"""A new installation's first day, driven through the fake Telegram: what an admin and a reader meet."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import config
from bot.app import BotRunner
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeMessage, FakeTelegram, FakeUser
from tests.test_discussion import comment, comment_id, on_comment, open_discussion


async def test_a_press_handled_after_telegrams_answer_window_still_works(
    start_bot: Callable[..., Any], posted: tuple[BotRunner, str, FakeMessage], fake: FakeTelegram, owner: FakeUser
) -> None:
    """A reader votes while the bot is down (a restart, an upgrade): when the bot is back, Telegram no longer
    takes an answer to that press, but the vote still counts and the page is redrawn, with no error message."""
    runner, payload, _ = posted
    await owner.send("/start")
    await owner.next_message()
    author, voter = FakeUser(fake, "نویسنده"), FakeUser(fake, "رأی‌دهنده")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "نظر نخست")
    page = await open_discussion(voter, payload)
    await on_comment(voter, page, comment_id(runner, "نظر نخست"), "👍")
    await fake.wait_for(lambda: page.button("👍")["text"] == "👍 ۱")

    fake.callback_answer_window = 1.0
    await runner.stop()
    await voter.press(page, "👎")
    await asyncio.sleep(1.2)  # the press waits for the bot longer than Telegram waits for its answer
    fake.allow_errors("query is too old")
    await start_bot(CHANNEL_ID=CHANNEL)
    await fake.wait_for(lambda: page.button("👎")["text"] == "👎 ۱" and page.button("👍")["text"] == "👍 ۰", 10)
    await voter.send("/help")  # handled after the press: when it is answered, the press was handled
    assert "/language" in (await voter.next_message()).text
    assert not [m for m in voter.received() if "خطایی پیش آمد" in (m.text or "")]
    assert not [m for m in owner.received() if "⚠️" in (m.text or "")]


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
