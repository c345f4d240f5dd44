"""The fake Bot API holds requests to the official spec, as Telegram does (checked with raw HTTP)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, FakeUser, FloodLimits
from tests.fake_telegram.html import HtmlError, parse_html


async def call(fake: FakeTelegram, method: str, **params: Any) -> httpx.Response:
    data = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in params.items()}
    async with httpx.AsyncClient() as client:
        return await client.post(f"{fake.base_url}{TOKEN}/{method}", data=data)


@pytest.fixture
async def chat(fake: FakeTelegram) -> FakeUser:
    user = FakeUser(fake, "Ali")
    await user.send("hi")
    for part in ("message text", "can't parse", "BUTTON", "not found", "parameter", "field", "Not Found", "Too Many"):
        fake.allow_errors(part)
    return user


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"text": "a & b", "parse_mode": "HTML"}, "can't parse entities"),
        ({"text": "1 < 2", "parse_mode": "HTML"}, "can't parse entities"),
        ({"text": "<div>x</div>", "parse_mode": "HTML"}, "Unsupported start tag"),
        ({"text": "<b>x</i>", "parse_mode": "HTML"}, "can't parse entities"),
        ({"text": "<b>x", "parse_mode": "HTML"}, "end tag"),
        ({"text": "x" * 4097}, "message text is too long"),
        ({"text": "<b></b>", "parse_mode": "HTML"}, "message text is empty"),
        ({}, "parameter text is required"),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 65}]]}},
            "BUTTON_DATA_INVALID",
        ),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "b", "url": "https://t.me/bot?start=a b"}]]}},
            "BUTTON_URL_INVALID",
        ),
        ({"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "b"}]]}}, "BUTTON_TYPE_INVALID"),
        ({"text": "x", "reply_markup": {"inline_keyboard": [[{"callback_data": "b"}]]}}, "is required"),
        ({"text": "x", "reply_parameters": {"message_id": 999}}, "message to be replied not found"),
    ],
)
async def test_requests_telegram_refuses_get_400(fake: FakeTelegram, chat: FakeUser, params: dict, expected: str):
    response = await call(fake, "sendMessage", chat_id=chat.id, **params)
    assert response.status_code == 400
    assert expected in response.json()["description"]
    assert fake.errors[-1].description == response.json()["description"]


async def test_valid_html_is_accepted_and_rendered_as_plain_text(fake: FakeTelegram, chat: FakeUser) -> None:
    html = '<b>تیتر</b> &amp; <a href="https://t.me/x?start=abc_12-3">پیوند</a> &lt;3 &#1575;'
    response = await call(fake, "sendMessage", chat_id=chat.id, text=html, parse_mode="HTML")
    assert response.status_code == 200
    assert response.json()["result"]["text"] == "تیتر & پیوند <3 ا"


async def test_telegram_drops_overrides_and_runs_of_direction_marks_but_keeps_isolates(
    fake: FakeTelegram, chat: FakeUser
) -> None:
    text = "\u200e\u200f\u200eJohn\u202e\u202a \u2067مریم\u2069\r\n\tok"
    response = await call(fake, "sendMessage", chat_id=chat.id, text=text)
    assert response.json()["result"]["text"] == "\u200c\u200c\u200eJohn \u2067مریم\u2069\n ok"


async def test_unknown_method_and_wrong_token(fake: FakeTelegram, chat: FakeUser) -> None:
    assert (await call(fake, "sendTelepathy", chat_id=chat.id)).status_code == 404
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake.base_url}123:wrong/getMe")
    assert response.status_code == 401


async def test_edit_of_missing_message_and_not_modified(fake: FakeTelegram, chat: FakeUser) -> None:
    response = await call(fake, "editMessageText", chat_id=chat.id, message_id=999, text="x")
    assert response.status_code == 400 and "message to edit not found" in response.json()["description"]
    sent = (await call(fake, "sendMessage", chat_id=chat.id, text="same")).json()["result"]
    again = await call(fake, "editMessageText", chat_id=chat.id, message_id=sent["message_id"], text="same")
    fake.allow_errors("message is not modified")
    assert again.status_code == 400 and "message is not modified" in again.json()["description"]


async def test_a_photo_has_no_text_to_edit_and_a_text_message_no_caption(fake: FakeTelegram, chat: FakeUser) -> None:
    fake.allow_errors("in the message to edit")
    photo = (await call(fake, "sendPhoto", chat_id=chat.id, photo="https://example.org/a.jpg", caption="عکس")).json()
    text = (await call(fake, "sendMessage", chat_id=chat.id, text="متن")).json()
    wrong_text = await call(
        fake, "editMessageText", chat_id=chat.id, message_id=photo["result"]["message_id"], text="x"
    )
    assert wrong_text.status_code == 400
    assert wrong_text.json()["description"] == "Bad Request: there is no text in the message to edit"
    wrong_caption = await call(
        fake, "editMessageCaption", chat_id=chat.id, message_id=text["result"]["message_id"], caption="x"
    )
    assert wrong_caption.status_code == 400
    assert wrong_caption.json()["description"] == "Bad Request: there is no caption in the message to edit"
    right = await call(
        fake, "editMessageCaption", chat_id=chat.id, message_id=photo["result"]["message_id"], caption="نو"
    )
    assert right.status_code == 200 and right.json()["result"]["caption"] == "نو"


def album(count: int, **first: Any) -> list[dict[str, Any]]:
    return [{"type": "photo", "media": f"photo{n + 1}"} | (first if n == 0 else {}) for n in range(count)]


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        ([], "there are no messages to send"),
        (album(1, caption="یک عکس"), "must include 2-10 items"),
        (album(11), "too many messages to send as an album"),
        (album(2, caption="x" * 1025), "message caption is too long"),
        (album(2, caption="<b>x", parse_mode="HTML"), "can't parse entities"),
        (album(3, show_caption_above_media=True), "show_caption_above_media must be the same"),
        ([*album(1), {"type": "photo", "media": "not-a-file"}], "wrong file identifier"),
        ([{"type": "photo"}, *album(1)], "is required"),
    ],
)
async def test_an_album_telegram_refuses_sends_nothing(
    fake: FakeTelegram, chat: FakeUser, media: list[dict[str, Any]], expected: str
) -> None:
    fake.allow_errors(expected)
    before = len(fake.history(chat.id, from_bot=True))
    response = await call(fake, "sendMediaGroup", chat_id=chat.id, media=media)
    assert response.status_code == 400 and expected in response.json()["description"]
    assert len(fake.history(chat.id, from_bot=True)) == before


async def test_an_album_is_one_message_per_photo_sharing_a_media_group_id(fake: FakeTelegram, chat: FakeUser) -> None:
    media = album(3, caption="<b>سه</b> عکس", parse_mode="HTML")
    response = await call(fake, "sendMediaGroup", chat_id=chat.id, media=media)
    sent = response.json()["result"]
    assert [len(m["photo"]) for m in sent] == [1, 1, 1] and len({m["media_group_id"] for m in sent}) == 1
    assert [m.get("caption") for m in sent] == ["سه عکس", None, None]
    stored = fake.history(chat.id, from_bot=True)[-3:]
    assert all(m.photo for m in stored) and stored[0].html == "<b>سه</b> عکس"


async def test_private_chat_rules(fake: FakeTelegram) -> None:
    stranger = FakeUser(fake, "Never wrote")
    fake.allow_errors("Forbidden")
    response = await call(fake, "sendMessage", chat_id=stranger.id, text="hi")
    assert response.status_code == 403 and "can't initiate" in response.json()["description"]
    await stranger.send("/start")
    stranger.block_bot()
    response = await call(fake, "sendMessage", chat_id=stranger.id, text="hi")
    assert response.status_code == 403 and "blocked" in response.json()["description"]


async def test_flood_limits_answer_429_with_retry_after(fake: FakeTelegram) -> None:
    fake.limits = FloodLimits(private_per_second=1, private_burst=1)
    fake.allow_errors("Too Many Requests")
    user = FakeUser(fake, "Fast")
    await user.send("hi")
    first = await call(fake, "sendMessage", chat_id=user.id, text="1")
    second = await call(fake, "sendMessage", chat_id=user.id, text="2")
    assert first.status_code == 200
    assert second.status_code == 429 and second.json()["parameters"]["retry_after"] >= 1


async def test_a_group_takes_twenty_messages_a_minute(fake: FakeTelegram) -> None:
    fake.limits = FloodLimits()  # Telegram's: 20 messages a minute to one group
    fake.allow_errors("Too Many Requests")
    group = fake.add_group(-1002)
    started = time.monotonic()
    async with httpx.AsyncClient() as client:
        answers = [
            await client.post(f"{fake.base_url}{TOKEN}/sendMessage", data={"chat_id": group.id, "text": str(i)})
            for i in range(30)
        ]
    refilled = (time.monotonic() - started) / 3  # one more every 3 seconds
    accepted = [answer for answer in answers if answer.status_code == 200]
    assert 20 <= len(accepted) <= 20 + refilled + 1
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.json()["description"].startswith("Too Many Requests: retry after ")
    assert refused.json()["parameters"]["retry_after"] >= 1
    assert len(fake.history(group.id)) == len(accepted)


async def test_injected_faults_are_not_counted_as_bot_mistakes(fake: FakeTelegram, chat: FakeUser) -> None:
    fake.inject("sendMessage", 502)
    assert (await call(fake, "sendMessage", chat_id=chat.id, text="x")).status_code == 502
    assert (await call(fake, "sendMessage", chat_id=chat.id, text="x")).status_code == 200
    assert fake.unexpected_errors() == []


async def test_channel_post_is_forwarded_into_the_linked_group(fake: FakeTelegram) -> None:
    channel = fake.add_channel(-1001, "news")
    group = fake.add_group(-1002, linked_channel=channel.id)
    response = await call(fake, "sendMessage", chat_id="@news", text="خبر")
    assert response.status_code == 200
    forwarded = fake.history(group.id)[0]
    assert forwarded.extra["is_automatic_forward"] is True
    assert forwarded.extra["forward_origin"]["message_id"] == response.json()["result"]["message_id"]
    assert forwarded.sender is not None and forwarded.sender["id"] == 777000


def test_html_checker_matches_telegram_on_nesting_and_attributes() -> None:
    assert parse_html("<b><i>x</i></b>") == "x"
    assert parse_html('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>') == "st"
    assert parse_html('<pre><code class="language-python">x</code></pre>') == "x"
    for bad in ('<a href="javascript:alert(1)">x</a>', '<b class="x">y</b>', "<span>x</span>", "&nbsp;"):
        with pytest.raises(HtmlError):
            parse_html(bad)


def keyboard_of(rows: int, per_row: int) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": f"{r}.{c}", "callback_data": f"b:{r}:{c}"} for c in range(per_row)]
                                for r in range(rows)]}  # fmt: skip


@pytest.mark.parametrize(("rows", "per_row", "refused"), [(100, 1, False), (101, 1, True), (12, 8, False),
                                                          (13, 8, True), (1, 9, True), (37, 4, True)])  # fmt: skip
async def test_inline_keyboards_over_telegrams_limits_are_refused(
    fake: FakeTelegram, chat: FakeUser, rows: int, per_row: int, refused: bool
) -> None:
    fake.allow_errors("reply markup is too long")
    markup = keyboard_of(rows, per_row)
    response = await call(fake, "sendMessage", chat_id=chat.id, text="x", reply_markup=markup)
    if not refused:
        assert response.status_code == 200
        sent = response.json()["result"]["message_id"]
        wider = keyboard_of(1, 9)
        edit = await call(fake, "editMessageReplyMarkup", chat_id=chat.id, message_id=sent, reply_markup=wider)
        assert edit.status_code == 400 and edit.json()["description"] == "Bad Request: reply markup is too long"
        return
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: reply markup is too long"


async def test_the_text_limit_counts_after_entity_parsing(fake: FakeTelegram, chat: FakeUser) -> None:
    fits = await call(fake, "sendMessage", chat_id=chat.id, text="<b>" + "&amp;" * 4096 + "</b>", parse_mode="HTML")
    assert fits.status_code == 200
    over = await call(fake, "sendMessage", chat_id=chat.id, text="<b>" + "ب" * 4097 + "</b>", parse_mode="HTML")
    assert over.status_code == 400 and "message text is too long" in over.json()["description"]
    emoji = await call(fake, "sendMessage", chat_id=chat.id, text="👍" * 2049)  # UTF-16: two units each
    assert emoji.status_code == 400


async def test_an_identical_edit_with_the_same_keyboard_is_not_modified(fake: FakeTelegram, chat: FakeUser) -> None:
    fake.allow_errors("message is not modified")
    markup = keyboard_of(1, 2)
    sent = (await call(fake, "sendMessage", chat_id=chat.id, text="<b>x</b>", parse_mode="HTML",
                       reply_markup=markup)).json()["result"]  # fmt: skip
    same = {"chat_id": chat.id, "message_id": sent["message_id"], "text": "<b>x</b>", "parse_mode": "HTML"}
    again = await call(fake, "editMessageText", **same, reply_markup=markup)
    assert again.status_code == 400 and "message is not modified" in again.json()["description"]
    assert (await call(fake, "editMessageReplyMarkup", chat_id=chat.id, message_id=sent["message_id"],
                       reply_markup=markup)).status_code == 400  # fmt: skip
    changed = await call(fake, "editMessageText", **same, reply_markup=keyboard_of(1, 3))
    assert changed.status_code == 200


async def test_a_form_part_without_a_name_is_refused(fake: FakeTelegram) -> None:
    fake.allow_errors("named field")
    body = b"--x\r\nContent-Disposition: form-data\r\n\r\n42\r\n--x--\r\n"
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{fake.base_url}{TOKEN}/sendMessage",
            content=body,
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: every form part must be a named field"
    assert [(c.method, c.status) for c in fake.calls] == [("sendMessage", 400)]


async def test_reading_a_text_a_message_lacks_fails_the_test(fake: FakeTelegram) -> None:
    user = FakeUser(fake, "Ali")
    photo = await user.send_photo("زیرنویس")
    assert photo.text_or_none is None and photo.caption == "زیرنویس"
    with pytest.raises(AssertionError, match=f"photo {photo.message_id} in chat {user.id} .*has no text"):
        _ = photo.text
    with pytest.raises(AssertionError, match="has no HTML"):
        _ = photo.html  # a user's message carries no HTML of the bot's
    message = await user.send("سلام")
    assert message.text == "سلام"
    with pytest.raises(AssertionError, match="has no caption"):
        _ = message.caption


async def test_a_button_press_is_answered_only_within_telegrams_window(fake: FakeTelegram, chat: FakeUser) -> None:
    sent = (await call(fake, "sendMessage", chat_id=chat.id, text="x")).json()["result"]
    message = fake.messages[(chat.id, sent["message_id"])]
    fake.callback_answer_window = 3.0
    fresh = await chat.press_data(message, "a", forged=True)
    assert (await call(fake, "answerCallbackQuery", callback_query_id=fresh)).status_code == 200
    late = await chat.press_data(message, "b", forged=True)
    fake.callback_pressed[late] -= 3.5  # pressed longer ago than the window
    fake.allow_errors("query is too old")
    response = await call(fake, "answerCallbackQuery", callback_query_id=late)
    assert response.status_code == 400 and "query is too old" in response.json()["description"]
    assert fake.callback_answers[late] == {}


async def test_only_an_administrator_deletes_what_others_wrote_in_a_group(fake: FakeTelegram) -> None:
    group = fake.add_group(-1002000)
    group.bot_status = "member"
    reader = FakeUser(fake, "Sara")
    theirs = await reader.send("hello", chat=group)
    ours = (await call(fake, "sendMessage", chat_id=group.id, text="the bot's")).json()["result"]
    fake.allow_errors("message can't be deleted")
    refused = await call(fake, "deleteMessage", chat_id=group.id, message_id=theirs.message_id)
    assert refused.status_code == 400 and "can't be deleted" in refused.json()["description"]
    assert not theirs.deleted
    assert (await call(fake, "deleteMessage", chat_id=group.id, message_id=ours["message_id"])).status_code == 200
    group.bot_status = "administrator"
    assert (await call(fake, "deleteMessage", chat_id=group.id, message_id=theirs.message_id)).status_code == 200
    assert theirs.deleted


async def test_a_caption_edit_that_only_changes_formatting_is_a_change(fake: FakeTelegram, chat: FakeUser) -> None:
    """Telegram compares a caption's entities as well as its words: bold where it was plain is modified."""
    sent = await call(fake, "sendPhoto", chat_id=chat.id, photo="https://example.org/a.jpg", caption="عکس",
                      parse_mode="HTML")  # fmt: skip
    message_id = sent.json()["result"]["message_id"]
    bold = await call(fake, "editMessageCaption", chat_id=chat.id, message_id=message_id, caption="<b>عکس</b>",
                      parse_mode="HTML")  # fmt: skip
    assert bold.status_code == 200 and bold.json()["result"]["caption"] == "عکس"
    fake.allow_errors("message is not modified")
    again = await call(fake, "editMessageCaption", chat_id=chat.id, message_id=message_id, caption="<b>عکس</b>",
                       parse_mode="HTML")  # fmt: skip
    assert again.status_code == 400 and "message is not modified" in again.json()["description"]


async def test_a_reply_to_a_deleted_message_comes_without_reply_to_message(fake: FakeTelegram) -> None:
    """Telegram leaves `reply_to_message` out of a message whose replied-to message was deleted (the thread
    stays)."""
    group = fake.add_group(-1002000)
    sara, ali = FakeUser(fake, "Sara"), FakeUser(fake, "Ali")
    first = await sara.send("first", chat=group, thread_id=1)
    answer = await ali.send("answer", chat=group, reply_to=first.message_id, thread_id=1)
    assert answer.to_json(fake)["reply_to_message"]["message_id"] == first.message_id
    assert (await call(fake, "deleteMessage", chat_id=group.id, message_id=first.message_id)).status_code == 200
    later = await ali.send("later", chat=group, reply_to=first.message_id, thread_id=1)
    assert "reply_to_message" not in later.to_json(fake) and "reply_to_message" not in answer.to_json(fake)
    assert later.to_json(fake)["message_thread_id"] == 1


async def test_a_group_message_older_than_48_hours_cannot_be_deleted(fake: FakeTelegram) -> None:
    """Telegram lets a bot delete group messages for 48 hours, admin or not."""
    group = fake.add_group(-1002000)
    old = await FakeUser(fake, "Sara").send("old", chat=group)
    old.date -= 48 * 3600 + 60
    fake.allow_errors("message can't be deleted")
    refused = await call(fake, "deleteMessage", chat_id=group.id, message_id=old.message_id)
    assert refused.status_code == 400 and "can't be deleted" in refused.json()["description"]
    assert not old.deleted
