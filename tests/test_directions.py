"""Every line a reader or an admin gets reads in the direction of its language, whatever script the names and
titles inserted into it are written in: a Latin name must not turn a Persian answer left to right, nor a Persian
title an English list right to left. Clients take a line's direction from its first strong letter, skipping
isolated runs (Unicode's rule P2); clients that do not know isolates take the first letter there is."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.test_digests import future_slot, wall_at
from tests.test_discussion import answer, first_strong_direction
from tests.test_subscriptions import PRESIDENT, WEATHER, publish

DIRECTION = {"fa": "rtl", "en": "ltr"}
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def first_letter_direction(text: str) -> str:
    """The direction a client that ignores isolates gives the line: by its first strong letter, wherever it is."""
    for char in text:
        if unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return "ltr" if unicodedata.bidirectional(char) == "L" else "rtl"
    return "neutral"


def reads(line: str, lang: str) -> bool:
    return first_strong_direction(line) == first_letter_direction(line) == DIRECTION[lang]


def isolated(name: str, text: str) -> bool:
    return f"{LRI}{name}{PDI}" in text or f"{RLI}{name}{PDI}" in text


async def ask(user: FakeUser, text: str) -> str:
    await user.send(text)
    return (await answer(user)).text


@pytest.mark.parametrize("lang", ["fa", "en"])
async def test_admin_answers_about_a_user_read_in_the_admins_direction_whatever_the_user_is_called(
    bot, fake: FakeTelegram, lang: str
) -> None:
    """/ban, /unban, /mute, /unmute, /warn (to the limit), /addadmin, /rmadmin: each answer opens with the user's
    name; a name in the other script is an isolate, one in the admin's own script is left as it is."""
    owner = FakeUser(fake, "Owner", user_id=OWNER_ID, language_code=lang)
    john = FakeUser(fake, "John", username="john_w", language_code="en")
    maryam = FakeUser(fake, "مریم", username="maryam_w")
    for user in (owner, john, maryam):
        await ask(user, "/start")
    for user in (john, maryam):
        name = user.json["first_name"]
        other_script = (name == "John") == (lang == "fa")
        answers = [
            await ask(owner, f"/ban @{user.json['username']} 2h"),
            await ask(owner, f"/unban {user.id}"),
            await ask(owner, f"/unban {user.id}"),
            await ask(owner, f"/mute {user.id} 30m"),
            await ask(owner, f"/unmute {user.id}"),
            await ask(owner, f"/unmute {user.id}"),
            await ask(owner, f"/addadmin {user.id}"),
            await ask(owner, f"/addadmin {user.id}"),
            await ask(owner, f"/rmadmin {user.id}"),
            await ask(owner, f"/rmadmin {user.id}"),
        ]
        for _ in range(2):
            answers.append(await ask(owner, f"/warn {user.id}"))
        await owner.send(f"/warn {user.id}")
        answers += [(await answer(owner)).text, (await answer(owner)).text]  # the third warn, then the mute
        assert len(set(answers)) == len(answers), answers  # each command answered with its own message
        for text in answers:
            line = text.split("\n")[0]
            assert name in line and reads(line, lang), (lang, line)
            assert isolated(name, line) == other_script, line


async def test_a_name_cannot_carry_its_own_bidi_controls_into_the_answer(
    bot, fake: FakeTelegram, owner: FakeUser
) -> None:
    """An isolate opened in a Telegram name and never closed would take in the rest of the line (Telegram drops
    overrides such as RLO from the bot's texts, not isolates); a name's own bidi controls are dropped."""
    trick = FakeUser(fake, "\u202eJohn\u2066", username="trick_w")
    welcome = await ask(trick, "/start")
    await ask(owner, "/start")
    banned = await ask(owner, "/ban @trick_w 2h")
    for text in (welcome, banned):
        line = text.split("\n")[0]
        assert isolated("John", line) and reads(line, "fa"), line
        assert [char for char in line if char in BIDI_CONTROLS] == [LRI, PDI], line


async def test_story_lists_and_digests_read_in_their_readers_direction_whatever_the_titles_are_written_in(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """/latest lines and the personal digest open with a number and the story's title: a Persian title turned
    an English reader's line right to left, a Latin one a Persian reader's left to right."""
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    kate, sara = FakeUser(fake, "Kate", language_code="en"), FakeUser(fake, "سارا")
    for reader, label, chosen in ((kate, "digest", "Mode: digest"), (sara, "خلاصه", "حالت: خلاصه")):
        await reader.send("/subscribe")
        settings = await answer(reader)
        await reader.press(settings, label)
        await fake.wait_for_text(settings, chosen)
    titles = ("برنامه اقتصادی رئیس‌جمهور", "Apple unveils the iPhone 17")
    for title, body in zip(titles, (PRESIDENT, WEATHER), strict=True):
        await publish(runner, fake, channel, title, body)

    for reader, lang in ((kate, "en"), (sara, "fa")):
        listed = (await ask(reader, "/latest")).split("\n")[1:]
        assert len(listed) == 2 and all(reads(line, lang) for line in listed), listed
        assert isolated(titles[1] if lang == "fa" else titles[0], "\n".join(listed)), listed

    slot = future_slot(runner, 8)
    runner.services.digests.clock = wall_at(slot + 60)
    assert await runner.services.digests.run_due() == "sent"
    for reader, lang in ((kate, "en"), (sara, "fa")):
        digest = (await answer(reader)).text
        story_lines = [line for line in digest.split("\n") if any(title in line for title in titles)]
        assert len(story_lines) == 2 and all(reads(line, lang) for line in story_lines), digest
