"""Random updates of every subscribed type, through the fake Bot API, to the real running bot.

Hypothesis draws the updates (odd Unicode, huge texts, garbage command arguments, numbers of 2**63 and more,
superscript digits, forged callback data, edits of messages the bot never saw, member changes); the bot must
handle every one without an exception, make no request Telegram would refuse (the `fake` fixture checks), and
still answer a normal /start afterwards. FUZZ_EXAMPLES=10000 (`make fuzz`) runs the long campaign.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import time
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from telegram.ext import CommandHandler

from bot.app import BotRunner
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser

GROUP_ID = -1002000
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "400"))
BATCH = 200
RUN = 50

# Texts Telegram can carry (no lone surrogates), with the classes that broke the bot before weighted in.
_ODD = st.sampled_from(["²", "³", "¹", "٣", "۳", "①", "𝟗", "\u200c", "\u200f", "\u202e", "\ufeff", "\x00", "#", "-",
                        "0", "<b>", "&amp;", "💥", "ـ", "\n"])  # fmt: skip
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
_NUMBER = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from([str(2**63), str(2**63 - 1), str(2**64), "9" * 30, "0", "-1", "²", "1²", "۱۲۳", "٠", "#۱", "1e9"]),
)
_KEYWORDS = st.sampled_from(["all", "off", "on", "fa", "en", "1h", "99999d", "-5m"])
_WORD = st.one_of(_NUMBER, _NUMBER, _TEXT, _ODD, _KEYWORDS)
_ARGS = st.lists(_WORD, max_size=4).map(" ".join)
_HUGE = st.builds(lambda s, n: (s or "x") * n, _TEXT, st.integers(1, 4096)).map(lambda s: s[:4096])
_ID = st.one_of(st.integers(1, 2**52), st.sampled_from([2**52, 1]))
_PREFIXES = ["d:", "s:", "m:", "p:", "lang:", "draft:", "d:o:", "d:r:", "d:y:", "s:t:", "s:f:", "s:k:", "s:m:", "m:a:",
             "m:r:", "p:forget", "draft:1:", "lang:de", ""]  # fmt: skip
_CALLBACK = st.one_of(
    st.builds(lambda p, w: (p + w).encode()[:64].decode(errors="ignore"), st.sampled_from(_PREFIXES), _WORD),
    st.text(max_size=64).map(lambda s: s.encode()[:64].decode(errors="ignore")),
)
BOT_USER = {"id": 5000000001, "is_bot": True, "first_name": "Goftogu"}
_STATUS = st.sampled_from(["creator", "administrator", "member", "restricted", "left", "kicked"])


_RESTRICTED = ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
               "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
               "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages",
               "can_manage_topics", "can_edit_tag", "can_react_to_messages")  # fmt: skip
_ADMIN = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
          "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
          "can_delete_stories")  # fmt: skip


def member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember of that status, with the fields Telegram always sends for it."""
    data: dict[str, Any] = {"status": status, "user": user}
    if status == "kicked":
        data["until_date"] = 0
    if status == "restricted":
        data |= {"is_member": True, "until_date": 0} | dict.fromkeys(_RESTRICTED, False)
    if status == "administrator":
        data |= {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(_ADMIN, True)
    if status == "creator":
        data["is_anonymous"] = False
    return data


@st.composite
def updates(draw: st.DrawFn, commands: list[str], chats: dict[str, dict[str, Any]],
            rnd: random.Random) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """One update as Telegram would send it: (kind, payload). Hypothesis draws the values; `rnd` picks the
    command and the sender (Hypothesis favours the first of several choices, and these must be uniform)."""
    lang = draw(st.sampled_from(["fa", "en", "de", None]))
    user: dict[str, Any] = {"id": draw(_ID), "is_bot": False,
                            "first_name": draw(_TEXT) or "x"}  # fmt: skip
    if rnd.random() < 0.4:  # (drawn all the same: Hypothesis wants the same draws in every example)
        user["id"] = OWNER_ID
    if lang:
        user["language_code"] = lang
    where = draw(st.sampled_from(["private", "private", "group", "channel"]))
    private = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    chat = private if where == "private" else chats[where]
    now = int(time.time())
    message_id = draw(st.one_of(st.integers(1, 50), st.integers(1, 2**31 - 1)))
    command = rnd.choice(commands)
    with_command = st.builds(lambda c, a, at: f"/{c}{at} {a}".rstrip(), st.just(command), _ARGS,
                             st.sampled_from(["", "", "@goftogu_test_bot", "@other_bot"]))  # fmt: skip
    texts = [draw(with_command), draw(st.one_of(_TEXT, _HUGE, _ARGS))]
    text = texts[0] if rnd.random() < 0.6 else texts[1]
    message: dict[str, Any] = {"message_id": message_id, "date": now, "chat": chat, "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if where != "channel":
        message["from"] = user
    # Every value is drawn whatever the update's shape (Hypothesis wants the same draws in every example).
    parent_id, parent_text, replies_to_bot = draw(st.integers(1, 60)), draw(_TEXT), draw(st.booleans())
    inaccessible, data = draw(st.integers(0, 5)) == 0, draw(_CALLBACK)
    old, new, to_bot = draw(_STATUS), draw(_STATUS), draw(st.booleans())
    if rnd.random() < 0.5:
        parent_from = BOT_USER if replies_to_bot else user
        message["reply_to_message"] = {"message_id": parent_id, "date": now - 60, "chat": chat, "text": parent_text,
                                       "from": parent_from}  # fmt: skip
        if where == "group":
            message["message_thread_id"] = parent_id
    kind = rnd.choice(["message", "message", "message", "edited_message", "callback_query", "member"])
    if where == "channel":
        kind = rnd.choice(["channel_post", "edited_channel_post", "member"])
    if kind in ("edited_message", "edited_channel_post"):
        message["edit_date"] = now
    if kind == "callback_query":
        shown: dict[str, Any] = {k: v for k, v in message.items() if k not in ("entities", "reply_to_message")}
        shown["from"] = BOT_USER
        if inaccessible:  # older than 48 hours: Telegram sends an inaccessible message
            shown = {"message_id": message_id, "date": 0, "chat": chat}
        return "callback_query", {"id": "0", "from": user, "chat_instance": "ci", "message": shown, "data": data}
    if kind == "member":
        target = BOT_USER if to_bot else user
        return ("my_chat_member" if to_bot else "chat_member"), {
            "chat": chat, "from": user, "date": now, "old_chat_member": member(old, target),
            "new_chat_member": member(new, target)}  # fmt: skip
    return kind, message


def draw_updates(count: int, commands: list[str], chats: dict[str, dict[str, Any]]) -> list[tuple[str, dict]]:
    """`count` updates drawn by Hypothesis, in runs of RUN examples with their own seeds (one long run dwells on
    variations of its first examples). Failures are reported with their update, so no shrinking is needed."""
    drawn: list[tuple[str, dict]] = []
    first = int(os.environ.get("FUZZ_SEED", "20261202"))
    rnd = random.Random(first)
    for run in range(-(-count // RUN)):

        @seed(first + run)
        @settings(max_examples=RUN, database=None, deadline=None, suppress_health_check=list(HealthCheck))
        @given(updates(commands, chats, rnd))
        def collect(update: tuple[str, dict]) -> None:
            drawn.append(update)

        collect()
    return drawn[:count]


class Failures(logging.Handler):
    """Every record at ERROR or above, from any logger (the bot's error handler logs each failed update)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def known(fake: FakeTelegram, kind: str, payload: dict[str, Any]) -> None:
    """Make the fake know what Telegram would know: the sender's private chat (opened by writing to the bot)
    and the button press's query id."""
    if "from" in payload and not payload["from"]["is_bot"]:
        fake.private_chat(payload["from"]).started = True
    if kind == "callback_query":
        payload["id"] = str(next(fake._callback_ids))  # unique, as Telegram's are
        fake.callback_answers[payload["id"]] = {}
        shown = payload["message"]
        pressed_in = fake.chats.get(shown["chat"]["id"])
        if shown["date"] and pressed_in is not None:
            # Telegram sends a press with the bot's message that carries the button: it exists (an inaccessible
            # one, date 0, stands for the others).
            shown["message_id"] = fake.next_message_id(pressed_in.id)
            fake.store(FakeMessage(chat=pressed_in, message_id=shown["message_id"], date=shown["date"],
                                   sender=fake.bot_user, text_or_none=shown.get("text")))  # fmt: skip
    chat = fake.chats.get(payload.get("chat", {}).get("id"))
    if kind in ("message", "channel_post") and chat is not None:
        # A new message gets the chat's next id and exists there (the bot may reply to it); edits keep their
        # random ids: mostly messages the bot never saw.
        payload["message_id"] = fake.next_message_id(chat.id)
        fake.store(FakeMessage(chat=chat, message_id=payload["message_id"], date=payload["date"],
                               sender=payload.get("from"), text_or_none=payload.get("text")))  # fmt: skip


def _idle(runner: BotRunner, fake: FakeTelegram) -> bool:
    """Every update the fake holds was fetched, stored and handled (the inbox is empty)."""
    return not fake.pending_updates and runner.inbox is not None and runner.inbox.idle


async def test_random_updates_never_raise(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    group = fake.add_group(GROUP_ID, "گفت‌وگو", linked_channel=channel.id)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    commands = sorted({c for hs in runner.app.handlers.values() for h in hs if isinstance(h, CommandHandler)
                       for c in h.commands})  # fmt: skip
    chats = {"group": group.to_json(), "channel": channel.to_json()}
    failures = Failures()
    sent: dict[int, dict] = {}
    logging.getLogger().addHandler(failures)
    # Replies to random ids, edits of unseen messages and such are refused by Telegram; the bot must expect it
    # and never turn it into an exception. Only refusals the bot cannot foresee are tolerated here.
    fake.allow_errors("message to be replied not found")
    try:
        drawn = draw_updates(EXAMPLES, commands, chats)
        for start in range(0, len(drawn), BATCH):
            for kind, payload in drawn[start : start + BATCH]:
                known(fake, kind, payload)
                sent[await fake.deliver(kind, payload)] = {kind: payload}
            for _ in range(3):  # idle three looks in a row: nothing fetched, queued or running
                await fake.wait_for(lambda: _idle(runner, fake), 120)
                await asyncio.sleep(0.1)
        reader = FakeUser(fake, "Reader", language_code="en")
        await reader.send("/start")
        assert (await reader.next_message(10)).text
    finally:
        logging.getLogger().removeHandler(failures)
    described = [f"{r.getMessage()[:300]}\n{json.dumps(_update_of(r, sent), ensure_ascii=False)[:600]}"
                 for r in failures.records]  # fmt: skip
    assert not described, f"{len(described)} updates raised:\n" + "\n\n".join(described[:15])


def _update_of(record: logging.LogRecord, sent: dict[int, dict]) -> Any:
    """The update a failure was logged for (the error handler logs its id first)."""
    update_id = record.args[0] if isinstance(record.args, tuple) and record.args else None
    return sent.get(update_id) if isinstance(update_id, int) else None


async def test_the_classes_that_raised_get_clear_answers(bot: BotRunner, fake: FakeTelegram) -> None:
    """Numbers of 2**63 and more, superscript digits, forged button data, presses on messages the bot can no
    longer see and very long searches: each gets an answer in the reader's language, none an exception."""
    failures = Failures()
    logging.getLogger().addHandler(failures)
    owner = FakeUser(fake, "Owner", user_id=OWNER_ID, language_code="en")
    reader = FakeUser(fake, "Reader", language_code="en")
    try:
        await owner.send("/start")
        await owner.next_message()
        for command in (f"/modlog {2**64}", "/ban ²", "/ban -²", f"/ban {2**63}", "/rmfeed ³", f"/rmfeed {2**70}"):
            await owner.send(command)
            assert (await owner.next_message()).text, command
        await reader.send("/start")
        settings = await reader.next_message()
        for data in (f"s:t:{2**70}", "s:t:²", "s:k:", "s:x", "draft:²:cancel", f"d:o:{2**64}", "m:a:zzzzzzzzzzzzzzzz"):
            answer = await reader.callback_answer(await reader.press_data(settings, data, forged=True))
            assert answer.get("text") in ("This button no longer works.", None) or answer.get("show_alert"), data
        gone = FakeMessage(chat=reader.chat, message_id=settings.message_id, date=0, sender=None)
        query_id = str(next(fake._callback_ids))
        fake.callback_answers[query_id] = {}
        await fake.deliver("callback_query", {"id": query_id, "from": reader.json, "chat_instance": "c", "data": "s:a",
                                              "message": {"message_id": gone.message_id, "date": 0,
                                                          "chat": reader.chat.to_json()}})  # fmt: skip
        assert (await reader.callback_answer(query_id))["text"] == "This button no longer works."
        for data in ("lang:en", "p:forget", "p:keep"):  # these edited the message they could no longer see
            query_id = str(next(fake._callback_ids))
            fake.callback_answers[query_id] = {}
            await fake.deliver("callback_query", {"id": query_id, "from": reader.json, "chat_instance": "c",
                                                  "data": data, "message": {"message_id": settings.message_id,
                                                  "date": 0, "chat": reader.chat.to_json()}})  # fmt: skip
            assert (await reader.callback_answer(query_id))["text"] == "This button no longer works.", data
        await reader.send("/search " + "خبر" * 2000)
        assert "No story" in (await reader.next_message()).text
    finally:
        logging.getLogger().removeHandler(failures)
    assert not [r.getMessage() for r in failures.records]


async def test_the_apology_for_a_failure_is_in_the_readers_language(bot: BotRunner, fake: FakeTelegram) -> None:
    reader = FakeUser(fake, "Reader", language_code="en")
    fake.inject("sendMessage", 400, description="Bad Request: injected failure", chat_id=reader.id)
    fake.allow_errors("injected failure")
    await reader.send("/start")
    assert (await reader.next_message()).text.startswith("Sorry, something went wrong")
