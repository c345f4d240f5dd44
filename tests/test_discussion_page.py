"""The discussion page and a comment's own view on busy discussions, through the fake Bot API (which refuses
what Telegram refuses: over-long texts and keyboards of more than 100 buttons or more than 8 in a row)."""

from __future__ import annotations

import sqlite3
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import BotRunner
from bot.discussion.buttons import DISCUSSION_BUTTONS, DiscussionAction
from bot.discussion.service import Author
from bot.news import publisher as publisher_module
from bot.render.buttons import ButtonExpired
from bot.render.ids import comment_ref
from bot.texts import digits, localize_number
from tests.conftest import CHANNEL, services_of
from tests.fake_telegram import FakeMessage, FakeTelegram, FakeUser
from tests.fake_telegram.html import utf16_length
from tests.test_discussion import comment, has_data, on_comment, open_comment, open_discussion, shows_comment

NAME_40 = ("نام بسیار بلند خواننده 😀 " * 3)[:40]


def ref(cid: int) -> str:
    return comment_ref(cid, "fa")


def db(runner: BotRunner) -> sqlite3.Connection:
    return sqlite3.connect(runner.settings.database_path)


async def seed(runner: BotRunner, text: str, parent: int | None = None, name: str = "خواننده", user: int = 9000) -> int:
    """A comment written straight through the service (the page is what is tested here, not writing)."""
    service = services_of(runner).discussion
    stored = await service.add(1, parent, Author(user, name), text, check_flood=False)
    assert stored is not None and stored.status == "published"
    return stored.id


def assert_usable(message: FakeMessage) -> None:
    """Within Telegram's limits (the fake refused anything else) and small enough for a phone."""
    assert message.reply_markup is not None
    rows = message.reply_markup["inline_keyboard"]
    assert sum(len(row) for row in rows) <= 30 and len(rows) <= 8 and all(len(row) <= 5 for row in rows)
    assert utf16_length(message.text) <= 4096


async def busy_tree(runner: BotRunner, text: str = "نظر", name: str = "خواننده") -> dict[int, dict[int, list[int]]]:
    """5 comments × 2 replies × 2 replies to each reply: 35 comments."""
    tree: dict[int, dict[int, list[int]]] = {}
    for i in range(5):
        top = await seed(runner, f"{text} {i}", name=name, user=9000 + i)
        tree[top] = {}
        for j in range(2):
            reply = await seed(runner, f"{text} {i}.{j}", top, name=name, user=9100 + j)
            tree[top][reply] = [await seed(runner, f"{text} {i}.{j}.{k}", reply, name=name, user=9200 + k)
                                for k in range(2)]  # fmt: skip
    return tree


@pytest.fixture(autouse=True)
def quick_channel_button(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 1.0)


async def test_a_busy_discussion_opens_and_every_comment_is_reachable(posted, fake: FakeTelegram) -> None:
    runner, payload, post = posted
    tree = await busy_tree(runner)
    reader = FakeUser(fake, "خواننده")
    page = await open_discussion(reader, payload)
    assert_usable(page)
    assert "نظرات (۳۵)" in page.text and "صفحهٔ ۱ از ۱" in page.text
    # The five comments and their replies by stable id, each reply's two replies counted under it.
    for top, replies in tree.items():
        assert f"{ref(top)} " in page.text and all(f"{ref(r)} " in page.text for r in replies)
        assert all(has_data(page, f"d:o:{r}") for r in (top, *replies))
        for r in replies:
            assert f"… و ۲ پاسخ دیگر (دکمهٔ 🧵 {ref(r)})" in page.text
    # Every comment can be reached, and its view is within the limits too.
    for top, replies in tree.items():
        for r, deeper in replies.items():
            await open_comment(reader, page, r)
            assert_usable(page)
            assert f"در پاسخ به {ref(top)}" in page.text and "پاسخ‌ها (۲)" in page.text
            assert all(f"{ref(d)} " in page.text for d in deeper)
            await open_comment(reader, page, deeper[1])
            assert f"در پاسخ به {ref(r)}" in page.text and "هنوز پاسخی نیامده" in page.text
            await reader.press(page, f"⬆️ {ref(r)}")
            await fake.wait_for(partial(shows_comment, page, r))
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۳۵)", 10)


async def test_sixty_comments_take_twelve_pages_that_say_so(posted, fake: FakeTelegram) -> None:
    runner, payload, _post = posted
    ids = [await seed(runner, f"نظر {i}", user=9000 + i) for i in range(60)]
    reader = FakeUser(fake, "ورق‌زن")
    page = await open_discussion(reader, payload)
    assert "صفحهٔ ۱ از ۱۲" in page.text and not has_data(page, "d:p:1")
    for number in range(2, 13):
        await reader.press(page, "صفحهٔ بعد")
        await fake.wait_for_text(page, f"صفحهٔ {localize_number(number, 'fa')} از ۱۲")
    assert not has_data(page, "d:n:1")
    assert all(f"{ref(cid)} " in page.text for cid in ids[:5])  # the oldest, under the ids they always have
    await reader.press(page, "صفحهٔ قبل")
    await fake.wait_for(lambda: "صفحهٔ ۱۱ از ۱۲" in page.text and f"{ref(ids[5])} " in page.text)
    await reader.press(page, "برترین")
    await fake.wait_for(lambda: "صفحهٔ ۱ از ۱۲" in page.text and "— برترین" in page.text)


async def test_long_comments_and_long_names_stay_within_the_text_limit(posted, fake: FakeTelegram) -> None:
    runner, payload, _post = posted
    long_text = ("این یک نظر بسیار بلند است و " * 80)[:1980] + " پایان"
    tree = await busy_tree(runner, long_text, NAME_40)
    for i in range(60):
        await seed(runner, f"{i} " + long_text, name=NAME_40, user=9300 + i)
    reader = FakeUser(fake, "خوانندهٔ صبور")
    page = await open_discussion(reader, payload)
    assert_usable(page)
    assert "صفحهٔ ۱ از ۱۳" in page.text and NAME_40 in page.text
    # Previews are trimmed on the page; the comment's own view has its full text.
    newest = db(runner).execute("SELECT max(id) FROM comments").fetchone()[0]
    await open_comment(reader, page, newest)
    assert_usable(page)
    assert "59 " + long_text in page.text.replace("\u2068", "").replace("\u2069", "")
    await reader.press(page, "🔙")
    await fake.wait_for(lambda: has_data(page, "d:w:1"))
    for number in range(2, 14):
        await reader.press(page, "صفحهٔ بعد")
        await fake.wait_for_text(page, f"صفحهٔ {localize_number(number, 'fa')} از ۱۳")
        assert_usable(page)
    replies = next(iter(tree.values()))
    reply = next(iter(replies))
    await open_comment(reader, page, reply)  # a long comment with long replies and a long parent
    assert_usable(page)
    assert long_text in page.text.replace("\u2068", "").replace("\u2069", "")


async def test_a_reply_hidden_by_reports_hides_only_itself_and_counts_match(posted, fake: FakeTelegram) -> None:
    runner, payload, post = posted
    top = await seed(runner, "نظر اصلی", user=9001)
    hidden = await seed(runner, "پاسخی که گزارش می‌شود", top, user=9002)
    kept = [await seed(runner, f"پاسخ به پاسخ {i}", hidden, user=9003 + i) for i in range(2)]
    for i in range(3):
        reporter = FakeUser(fake, f"گزارشگر {i}")
        view = await open_discussion(reporter, payload)
        await reporter.callback_answer(await on_comment(reporter, view, hidden, "🚩"))
    assert db(runner).execute("SELECT status FROM comments WHERE id = ?", (hidden,)).fetchone() == ("pending",)

    reader = FakeUser(fake, "تازه")
    page = await open_discussion(reader, payload)
    assert "پاسخی که گزارش می‌شود" not in page.text
    assert f"{ref(hidden)} [این نظر پنهان شده است]" in page.text
    assert "نظرات (۳)" in page.text and f"… و ۲ پاسخ دیگر (دکمهٔ 🧵 {ref(hidden)})" in page.text
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۳)", 10)
    await open_comment(reader, page, hidden)
    assert all(f"{ref(k)} " in page.text for k in kept) and "پاسخ‌ها (۲)" in page.text
    assert not any(label in str(page.buttons) for label in ("↩️", "👍", "🚩"))  # nothing to do with a placeholder
    await open_comment(reader, page, top)
    assert "پاسخ‌ها (۲)" in page.text  # the two replies under the placeholder
    assert f"… و ۲ پاسخ دیگر (دکمهٔ 🧵 {ref(hidden)})" in page.text


async def test_a_locked_story_shows_a_lock_and_refuses_write_buttons_at_once(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, payload, _post = posted
    first = await seed(runner, "نظر پیش از بستن")
    reader = FakeUser(fake, "دیرآمده")
    stale_page = await open_discussion(reader, payload)
    stale_view = await open_discussion(reader, payload)
    await open_comment(reader, stale_view, first)
    await owner.send("/lock 1")
    await fake.wait_for(lambda: any("بسته شد" in m.text for m in owner.received()))

    page = await open_discussion(FakeUser(fake, "تازه"), payload)
    assert "🔒" in page.text and not has_data(page, "d:w:1")
    late = FakeUser(fake, "تازه‌تر")
    view = await open_discussion(late, payload)
    await open_comment(late, view, first)
    assert not any("↩️" in b["text"] for b in view.buttons) and any("👍" in b["text"] for b in view.buttons)

    before = len(reader.received())
    for message, label in ((stale_page, "نوشتن نظر"), (stale_view, "↩️")):
        answer = await reader.callback_answer(await reader.press(message, label))
        assert "بسته" in answer["text"] and answer["show_alert"]
    await reader.send("/help")
    await fake.wait_for(lambda: "راهنما" in reader.received()[-1].text)
    assert len(reader.received()) == before + 1  # no prompt to write was sent


async def test_deleting_your_own_comment_redraws_the_view_and_can_be_cancelled(posted, fake: FakeTelegram) -> None:
    runner, payload, _post = posted
    author, other = FakeUser(fake, "نویسنده"), FakeUser(fake, "دیگری")
    page = await open_discussion(author, payload)
    await comment(author, page, "نوشتن نظر", "نظری که می‌ماند")
    await comment(author, page, "نوشتن نظر", "نظری که می‌رود")
    lonely = db(runner).execute("SELECT id FROM comments WHERE text = 'نظری که می‌رود'").fetchone()[0]
    answered = db(runner).execute("SELECT id FROM comments WHERE text = 'نظری که می‌ماند'").fetchone()[0]
    await seed(runner, "پاسخ دیگری", answered, user=other.id, name="دیگری")
    await fake.wait_for(lambda: has_data(page, f"d:o:{lonely}") and has_data(page, f"d:o:{answered}"))

    await on_comment(author, page, lonely, "🗑")
    await fake.wait_for(lambda: "حذف شود؟" in page.text)
    await author.press(page, "انصراف")
    await fake.wait_for(lambda: shows_comment(page, lonely) and "✏️" in str(page.buttons))
    assert db(runner).execute("SELECT status FROM comments WHERE id = ?", (lonely,)).fetchone() == ("published",)
    await author.press(page, "🗑")
    await fake.wait_for(lambda: "حذف شود؟" in page.text)
    query = await author.press(page, "بله")
    assert "حذف شد" in (await author.callback_answer(query))["text"]
    # Nothing left to show there: back on the page, without it.
    await fake.wait_for(lambda: has_data(page, "d:w:1"))
    assert "نظری که می‌رود" not in page.text and not has_data(page, f"d:o:{lonely}")
    assert "نظرات (۲)" in page.text

    await on_comment(author, page, answered, "🗑")
    await fake.wait_for(lambda: "حذف شود؟" in page.text)
    await author.press(page, "بله")
    await fake.wait_for(lambda: "[این نظر حذف شده است]" in page.text and "حذف شود؟" not in page.text)
    assert "پاسخ دیگری" in page.text and not any(mark in str(page.buttons) for mark in ("✏️", "🗑"))


async def test_a_comments_view_keeps_ids_shows_its_parent_and_pages_its_replies(
    posted, fake: FakeTelegram, start_bot
) -> None:
    runner, payload, _post = posted
    top = await seed(runner, "نظر با پاسخ‌های بسیار")
    replies = [await seed(runner, f"پاسخ شمارهٔ {i}", top, user=9100 + i) for i in range(7)]
    reader = FakeUser(fake, "خواننده")
    page = await open_discussion(reader, payload)
    await open_comment(reader, page, top)
    assert "صفحهٔ ۱ از ۲" in page.text and "پاسخ‌ها (۷)" in page.text
    assert all(f"{ref(r)} " in page.text for r in replies[:5])  # under their own ids, not renumbered
    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL)  # the view, and the page of replies it shows, are in SQLite
    await reader.press(page, "صفحهٔ بعد")
    await fake.wait_for(lambda: "صفحهٔ ۲ از ۲" in page.text and f"{ref(replies[6])} " in page.text)
    await open_comment(reader, page, replies[6])
    assert f"در پاسخ به {ref(top)}" in page.text and "نظر با پاسخ‌های بسیار" in page.text
    await reader.press(page, f"⬆️ {ref(top)}")
    await fake.wait_for(lambda: shows_comment(page, top) and "صفحهٔ ۱ از ۲" in page.text)


async def test_moderators_delete_hide_and_ban_from_the_comment_itself(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, payload, _post = posted
    rude = FakeUser(fake, "بی‌ادب")
    to_hide = await seed(runner, "نظری برای پنهان کردن", user=rude.id, name="بی‌ادب")
    to_delete = await seed(runner, "نظری برای حذف", user=rude.id, name="بی‌ادب")
    reader = FakeUser(fake, "خواننده")
    view = await open_discussion(reader, payload)
    await open_comment(reader, view, to_hide)
    assert "🚩" in str(view.buttons) and "پنهان کردن" not in str(view.buttons)
    for data in (f"d:mh:{to_hide}", f"d:mD:{to_delete}", f"d:mB:{to_hide}"):  # forged by a reader
        answer = await reader.callback_answer(await reader.press_data(view, data, forged=True))
        assert "فقط برای مدیران" in answer["text"]
    assert db(runner).execute("SELECT count(*) FROM comments WHERE status = 'published'").fetchone() == (2,)

    page = await open_discussion(owner, payload)
    await open_comment(owner, page, to_hide)
    assert "🚩" not in str(page.buttons)
    query = await owner.press(page, "پنهان کردن")
    assert "پنهان شد" in (await owner.callback_answer(query))["text"]
    await fake.wait_for(lambda: has_data(page, "d:w:1") and "نظری برای پنهان کردن" not in page.text)
    status = db(runner).execute("SELECT status, hold_reason FROM comments WHERE id = ?", (to_hide,)).fetchone()
    assert status == ("pending", "moderator")

    await open_comment(owner, page, to_delete)
    await owner.press(page, "حذف نظر")
    await fake.wait_for(lambda: "حذف شود؟" in page.text)
    await owner.press(page, "بله")
    await fake.wait_for(lambda: has_data(page, "d:w:1"))
    assert db(runner).execute("SELECT status FROM comments WHERE id = ?", (to_delete,)).fetchone() == ("deleted",)

    await owner.send("/queue")
    item = await fake.wait_for(lambda: "صف بررسی" in owner.received()[-1].text and owner.received()[-1])
    assert "نظری برای پنهان کردن" in item.text and "به دست مدیر" in item.text
    last = await seed(runner, "نظر سوم", user=rude.id, name="بی‌ادب")
    page = await open_discussion(owner, payload)
    await open_comment(owner, page, last)
    await owner.press(page, "مسدود کردن")
    await fake.wait_for(lambda: "برای همیشه مسدود شود؟" in page.text and str(rude.id) in page.text)
    query = await owner.press(page, "بله")
    assert "مسدود شد" in (await owner.callback_answer(query))["text"]
    assert db(runner).execute("SELECT user_id, until FROM bans").fetchall() == [(rude.id, None)]
    actions = [row[0] for row in db(runner).execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["hide", "delete", "ban"]


async def test_moderators_see_who_wrote_an_anonymous_comment(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, payload, _post = posted
    writer = FakeUser(fake, "پنهان‌کار")
    page = await open_discussion(writer, payload)
    await writer.press(page, "نوشتن نظر")
    prompt = await writer.next_message()
    await writer.callback_answer(await writer.press(prompt, "ناشناس"))
    await writer.send("نظر بی‌نام")
    await writer.next_message()
    cid = db(runner).execute("SELECT id FROM comments").fetchone()[0]
    view = await open_discussion(owner, payload)
    await open_comment(owner, view, cid)
    assert "پنهان‌کار" in view.text and digits(writer.id, "fa") in view.text  # the id in Persian digits
    other = FakeUser(fake, "کنجکاو")
    view = await open_discussion(other, payload)
    await open_comment(other, view, cid)
    assert "پنهان‌کار" not in view.text and "ناشناس" in view.text


@pytest.mark.parametrize(
    "data", ["d:zz:1", "d:o:abc", "d:o:0", "d:o:-3", "d:o:99999", "d:", "d:o:1:2", "d:o:" + "9" * 40, "d:X:1"]
)
async def test_forged_or_garbage_button_data_gets_an_answer(posted, fake: FakeTelegram, data: str) -> None:
    runner, payload, _post = posted
    await seed(runner, "نظر")
    reader = FakeUser(fake, "کنجکاو")
    page = await open_discussion(reader, payload)
    answer = await reader.callback_answer(await reader.press_data(page, data, forged=True))
    assert answer["text"] and answer["show_alert"]
    await open_comment(reader, page, 1)  # the bot goes on working
    assert db(runner).execute("SELECT status FROM comments").fetchone() == ("published",)


@given(st.text(max_size=80))
def test_the_callback_data_parser_reads_a_press_or_calls_it_out_of_date(data: str) -> None:
    try:
        pressed = DISCUSSION_BUTTONS.unpack(data)
    except ButtonExpired:
        return
    assert isinstance(pressed.action, DiscussionAction) and len(pressed.args) == 1


async def test_english_readers_get_latin_ids_and_english_controls(posted, fake: FakeTelegram) -> None:
    runner, payload, _post = posted
    first = await seed(runner, "نظر نخست")
    reader = FakeUser(fake, "Sam", language_code="en")
    await reader.send(f"/start {payload}")
    page = await fake.wait_for(
        lambda: next((m for m in reader.received() if "Comments (" in (m.text_or_none or "")), None)
    )
    assert "Comments (1)" in page.text and "page 1 of 1" in page.text and f"#{first} " in page.text
    await reader.press_data(page, f"d:o:{first}")
    await fake.wait_for(lambda: "Replies (0)" in page.text and "No replies yet." in page.text)
    assert [b["text"] for b in page.buttons[:4]] == ["↩️ Reply", "👍 0", "👎 0", "🚩 Report"]


async def test_a_thread_button_drawn_by_the_previous_version_opens_the_comments_view(
    posted, fake: FakeTelegram
) -> None:
    runner, payload, _post = posted
    first = await seed(runner, "نظری با رشتهٔ پاسخ")
    await seed(runner, "پاسخ", first, user=9001)
    reader = FakeUser(fake, "خواننده")
    page = await open_discussion(reader, payload)
    await reader.press_data(page, f"d:t:{first}", forged=True)  # 🧵 of the old page
    await fake.wait_for(lambda: shows_comment(page, first))
