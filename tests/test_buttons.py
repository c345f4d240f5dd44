"""Typed buttons and the one error path: every feature's callback data packs and unpacks through its codec
within Telegram's 64 bytes, buttons on old messages still work (or are called out of date), and a refusal a
service raises reaches the user in their language, as an alert on a button and a reply to a message."""

from __future__ import annotations

from enum import StrEnum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.discussion.buttons import DISCUSSION_BUTTONS, DiscussionAction
from bot.render.buttons import CALLBACK_DATA_LIMIT, ButtonCodec, ButtonDataTooLong, ButtonExpired
from bot.render.ids import MAX_ID
from bot.texts import LANGUAGES
from handlers.language import LANGUAGE_BUTTONS
from handlers.moderation.queue import QUEUE_BUTTONS, QueueAction
from handlers.news_admin import DRAFT_BUTTONS, DraftAction
from handlers.privacy import FORGET_BUTTONS
from handlers.subscriptions import SUBSCRIPTION_BUTTONS, SubscriptionAction
from tests.conftest import OWNER_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_discussion import answer, open_discussion, shows_comment
from tests.test_discussion_page import seed

CODECS: list[ButtonCodec] = [
    DISCUSSION_BUTTONS, QUEUE_BUTTONS, SUBSCRIPTION_BUTTONS, DRAFT_BUTTONS, FORGET_BUTTONS, LANGUAGE_BUTTONS,
]  # fmt: skip


def _arguments(codec: ButtonCodec) -> tuple[str, ...]:
    return ("123",) * codec.arity


@pytest.mark.parametrize("codec", CODECS, ids=lambda codec: codec.prefix)
def test_every_action_packs_and_unpacks_to_itself(codec: ButtonCodec) -> None:
    for action in codec.actions:
        pressed = codec.unpack(codec.pack(action, *_arguments(codec)))
        assert pressed.action is action and pressed.args == _arguments(codec)


def test_the_wire_format_is_the_one_on_messages_already_in_chats() -> None:
    assert DISCUSSION_BUTTONS.pack(DiscussionAction.SORT_TOP, 12) == "d:S:12"
    assert DISCUSSION_BUTTONS.pack(DiscussionAction.SORT_NEW, 12) == "d:s:12"
    assert DISCUSSION_BUTTONS.pack(DiscussionAction.MOD_BAN, 7) == "d:mB:7"
    assert QUEUE_BUTTONS.pack(QueueAction.REJECT_INSULT, "0.c") == "m:R0:0.c"
    assert SUBSCRIPTION_BUTTONS.pack(SubscriptionAction.MODE, "digest") == "s:m:digest"
    assert DRAFT_BUTTONS.pack(DraftAction.PUBLISH, 7) == "draft:7:publish"
    assert DISCUSSION_BUTTONS.unpack("d:t:5").action is DiscussionAction.OPEN_THREAD  # older pages' button


def test_more_than_telegrams_64_bytes_is_refused_when_packed() -> None:
    fits = "x" * (CALLBACK_DATA_LIMIT - len("m:A:"))
    assert len(QUEUE_BUTTONS.pack(QueueAction.APPROVE_ALL, fits).encode()) == CALLBACK_DATA_LIMIT
    with pytest.raises(ButtonDataTooLong):
        QUEUE_BUTTONS.pack(QueueAction.APPROVE_ALL, fits + "x")
    assert QUEUE_BUTTONS.packed(QueueAction.APPROVE_ALL, fits + "x") is None
    with pytest.raises(ButtonDataTooLong):  # bytes, not characters: Persian letters take two
        SUBSCRIPTION_BUTTONS.pack(SubscriptionAction.MODE, "ب" * 31)  # 4 + 62 bytes


@pytest.mark.parametrize(
    "data", ["", "d", "d:", "d:o", "d:o:1:2", "d:zz:1", "D:o:1", "m:o:1", "x:o:1", "s:m", "draft:publish", "p:x"]
)
def test_anything_a_codec_did_not_pack_is_out_of_date(data: str) -> None:
    for codec in CODECS:
        if codec.prefix == data.partition(":")[0] and codec.arity == data.count(":") - 1:
            continue  # the right shape: refused below by its action or arguments
        with pytest.raises(ButtonExpired):
            codec.unpack(data)
    with pytest.raises(ButtonExpired):
        DISCUSSION_BUTTONS.unpack("d:zz:1")
    with pytest.raises(ButtonExpired):
        DISCUSSION_BUTTONS.unpack("d:o:0").number()
    assert DISCUSSION_BUTTONS.unpack(f"d:o:{MAX_ID}").number() == MAX_ID


@given(st.sampled_from(CODECS), st.text(max_size=80))
def test_unpacking_reads_a_press_or_calls_it_out_of_date(codec: ButtonCodec, data: str) -> None:
    try:
        pressed = codec.unpack(data)
    except ButtonExpired:
        return
    assert isinstance(pressed.action, StrEnum) and len(pressed.args) == codec.arity


async def test_a_refusal_is_a_reply_in_the_readers_language_and_no_error_for_the_owners(
    start_bot, fake: FakeTelegram
) -> None:
    await start_bot()
    owner = FakeUser(fake, "Owner", user_id=OWNER_ID)
    await owner.send("/start")
    await answer(owner)
    english, persian = FakeUser(fake, "Sam", language_code="en"), FakeUser(fake, "سارا")
    await english.send("/subscribe x")  # one letter: too short for a keyword
    assert (await english.next_message()).text == "A keyword must be 2 to 60 characters long."
    await persian.send("/subscribe x")
    assert (await persian.next_message()).text == "کلیدواژه باید بین ۲ تا ۶۰ نویسه باشد."
    await persian.send("/subscribe")
    assert "حالت" in (await answer(persian)).text  # the bot goes on
    assert not [m for m in owner.received() if "⚠️" in (m.text_or_none or "")]
    assert not fake.errors


async def test_a_refusal_on_a_button_is_an_alert_in_the_readers_language(start_bot, fake: FakeTelegram) -> None:
    await start_bot()
    reader = FakeUser(fake, "Sam", language_code="en")
    await reader.send("/subscribe")
    settings = await answer(reader)
    for data in (f"s:t:{MAX_ID}", "s:zz:1"):  # a topic the bot does not know (the service refuses), no action
        refused = await reader.callback_answer(await reader.press_data(settings, data, forged=True))
        assert refused["text"] == "This button no longer works." and refused["show_alert"], data


async def test_an_older_pages_thread_button_still_opens_the_comment(posted, fake: FakeTelegram) -> None:
    runner, payload, _post = posted
    cid = await seed(runner, "نظر قدیمی")
    reader = FakeUser(fake, "کنجکاو")
    page = await open_discussion(reader, payload)
    await reader.press_data(page, f"d:t:{cid}", forged=True)
    await fake.wait_for(lambda: shows_comment(page, cid))


def test_there_is_a_language_button_for_every_catalog() -> None:
    assert {choice.value for choice in LANGUAGE_BUTTONS.actions} == set(LANGUAGES)
