"""Threaded discussions in private chat, end to end through the fake Telegram."""

from __future__ import annotations

import sqlite3

import pytest

from bot.app import BotRunner
from bot.news import publisher as publisher_module
from bot.render.ids import comment_ref
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser


async def open_discussion(user: FakeUser, payload: str) -> FakeMessage:
    """Open the discussion page (reply notices that arrive meanwhile are skipped)."""
    await user.send(f"/start {payload}")
    while True:
        message = await user.next_message()
        if "نظرات (" in message.text or "پیوند معتبر نیست" in message.text:
            return message


async def answer(user: FakeUser) -> FakeMessage:
    """The bot's next message to this user that is not a reply notice."""
    message = await user.next_message()
    while "پاسخ داد" in (message.text_or_none or ""):
        message = await user.next_message()
    return message


async def comment(user: FakeUser, page: FakeMessage, label: str, text: str) -> None:
    """Press a write/reply button on the page, then send the text; waits for the confirmation."""
    await user.press(page, label)
    prompt = await user.next_message()
    while "پاسخ داد" in prompt.text:
        prompt = await user.next_message()
    assert "یک پیام بنویسید" in prompt.text
    await user.send(text)
    answer = await user.next_message()
    while "پاسخ داد" in answer.text:
        answer = await user.next_message()
    assert "ثبت شد" in answer.text


def comment_id(runner: BotRunner, text: str) -> int:
    """The stable id of the comment with this text."""
    row = sqlite3.connect(runner.settings.database_path).execute("SELECT id FROM comments WHERE text = ?", (text,))
    return int(row.fetchone()[0])


def shows_comment(page: FakeMessage, cid: int) -> bool:
    """Whether the message is that comment's own view."""
    return f"🧵 {comment_ref(cid, 'fa')} " in (page.text_or_none or "")


def has_data(page: FakeMessage, data: str) -> bool:
    return data in [button.get("callback_data") for button in page.buttons]


async def open_comment(user: FakeUser, page: FakeMessage, cid: int) -> None:
    """Tap the comment's number on the page (from another comment's view, back on the page first): the
    message becomes the comment's own view."""
    data = f"d:o:{cid}"
    if not has_data(page, data) and "🔙" in str(page.buttons):
        await user.press(page, "🔙")
        await user.fake.wait_for(lambda: has_data(page, data))
    await user.press_data(page, data)
    await user.fake.wait_for(lambda: shows_comment(page, cid))


async def on_comment(user: FakeUser, page: FakeMessage, cid: int, label: str) -> str:
    """Open the comment's view and press one of its buttons; return the callback query id."""
    if not shows_comment(page, cid):
        await open_comment(user, page, cid)
    return await user.press(page, label)


async def reply(user: FakeUser, page: FakeMessage, cid: int, text: str) -> None:
    """Open the comment's view, press ↩️ and send the reply."""
    await open_comment(user, page, cid)
    await comment(user, page, "↩️", text)


async def test_an_unknown_or_malformed_deep_link_gets_a_clear_answer(posted, fake: FakeTelegram) -> None:
    _runner, known, _post = posted
    reader = FakeUser(fake, "نگار")
    for payload in ("aXXXXXXXXXX", "zzz", "a" + "x" * 64, f"{known}_x", f"{known}_", f"{known}_0"):
        await reader.send(f"/start {payload}")
        assert "پیوند معتبر نیست" in (await reader.next_message()).text


async def test_ten_readers_recreate_the_seed_discussion_and_the_page_shows_the_tree(
    posted, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 1.0)
    runner, payload, post = posted
    names = ["یک شهروند", "ناشناس", "بهنام", "محمد", "حسین", "واقعیت", "سید عزیز", "علی", "رضا", "شرقگدا"]
    readers = [FakeUser(fake, name) for name in names]
    pages = {}
    for reader in readers:
        pages[reader.id] = await open_discussion(reader, payload)
    first = pages[readers[0].id]
    assert "هنوز نظری ثبت نشده" in first.text
    assert "<b>" in first.html and "متن کامل خبر" in first.text

    await comment(readers[0], first, "نوشتن نظر", "الهی این دعوت روسیه درس عبرتی باشه")
    page = pages[readers[1].id]  # opened before the first comment: it is redrawn when this reader writes
    await comment(readers[1], page, "نوشتن نظر", "مگه بقیه کشورها با جولانی رابطه ندارند")
    await fake.wait_for(lambda: "الهی این دعوت" in page.text and "(۲)" in page.text)

    # Replies (and a reply to a reply) go under their comment.
    first_id = comment_id(runner, "الهی این دعوت روسیه درس عبرتی باشه")
    await reply(readers[2], await open_discussion(readers[2], payload), first_id, "ایناهمان ترامپ")
    await comment(readers[3], (await open_discussion(readers[3], payload)), "نوشتن نظر", "🤣🤣 قشنگ")
    trump = comment_id(runner, "ایناهمان ترامپ")
    await reply(readers[4], await open_discussion(readers[4], payload), trump, "حیف از اسمت")
    await comment(readers[5], (await open_discussion(readers[5], payload)), "نوشتن نظر", "هزار دوست کمه")
    await comment(readers[6], (await open_discussion(readers[6], payload)), "نوشتن نظر", "باید مجلس انقلابی")
    await reply(readers[7], await open_discussion(readers[7], payload), first_id, "خروش وطن پرست ها")
    await reply(readers[8], await open_discussion(readers[8], payload), first_id, "اقابایدبگیرد")
    await comment(readers[9], (await open_discussion(readers[9], payload)), "نوشتن نظر", "منتطر نظرات")

    page = await open_discussion(readers[0], payload)
    assert "(۱۰)" in page.text
    lines = page.text.split("\n")
    newest = comment_id(runner, "منتطر نظرات")
    first_top = next(i for i, line in enumerate(lines) if "منتطر نظرات" in line)
    assert lines[first_top - 1].startswith(comment_ref(newest, "fa"))  # newest first, under its stable id
    # The first comment is on page 2 with its first two replies; the third is counted, behind its number.
    await readers[0].press(page, "صفحهٔ بعد")
    await fake.wait_for(lambda: "صفحهٔ ۲ از ۲" in page.text)
    reply_line = next(line for line in page.text.split("\n") if "↳" in line)
    assert reply_line.startswith("\u2003↳")
    assert "ایناهمان ترامپ" in page.text and "خروش وطن پرست ها" in page.text and "اقابایدبگیرد" not in page.text
    # Each comment not shown is counted once, under its nearest shown ancestor.
    assert f"… و ۱ پاسخ دیگر (دکمهٔ 🧵 {comment_ref(first_id, 'fa')})" in page.text  # the third reply
    assert f"… و ۱ پاسخ دیگر (دکمهٔ 🧵 {comment_ref(trump, 'fa')})" in page.text  # the reply to a reply
    await open_comment(readers[0], page, first_id)
    assert "اقابایدبگیرد" in page.text and "پاسخ‌ها (۴)" in page.text
    # The channel button counts the comments (edited with debounce).
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۱۰)", 10)


async def test_votes_toggle_and_switch(posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    author, voter = FakeUser(fake, "نویسنده"), FakeUser(fake, "رأی‌دهنده")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "نظر نخست")
    page = await open_discussion(voter, payload)
    await on_comment(voter, page, comment_id(runner, "نظر نخست"), "👍")
    await fake.wait_for(lambda: page.button("👍")["text"] == "👍 ۱")
    await voter.press(page, "👎")
    await fake.wait_for(lambda: page.button("👎")["text"] == "👎 ۱" and page.button("👍")["text"] == "👍 ۰")
    await voter.press(page, "👎")
    await fake.wait_for(lambda: page.button("👎")["text"] == "👎 ۰")


async def test_a_reader_cannot_like_their_own_comment(posted, fake: FakeTelegram) -> None:
    """A like of one's own comment would lift it in "top" order and the digest: the press is answered with
    why, nothing is stored and the count stays; a dislike of one's own and others' likes still count."""
    runner, payload, _ = posted
    author, voter = FakeUser(fake, "نویسنده"), FakeUser(fake, "رأی‌دهنده")
    page = await open_discussion(author, payload)
    await comment(author, page, "نوشتن نظر", "نظر نخست")
    cid = comment_id(runner, "نظر نخست")
    await fake.wait_for(lambda: has_data(page, f"d:o:{cid}"))  # the author's page is redrawn with the comment
    pressed = await on_comment(author, page, cid, "👍")
    await fake.wait_for(lambda: fake.callback_answers[pressed] != {})
    assert fake.callback_answers[pressed]["text"] == "نظر خودتان را نمی‌توانید بپسندید."
    assert page.button("👍")["text"] == "👍 ۰"

    def stored() -> tuple[list[tuple], tuple]:
        with sqlite3.connect(runner.settings.database_path) as conn:
            votes = conn.execute("SELECT user_id, value FROM votes WHERE comment_id = ?", (cid,)).fetchall()
            return votes, conn.execute("SELECT up, down, score FROM comments WHERE id = ?", (cid,)).fetchone()

    assert stored() == ([], (0, 0, 0))
    await on_comment(voter, await open_discussion(voter, payload), cid, "👍")
    await fake.wait_for(lambda: stored() == ([(voter.id, 1)], (1, 0, 1)))


async def test_edit_within_the_window_and_delete_keeps_the_tree(posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    author, other = FakeUser(fake, "سارا"), FakeUser(fake, "امید")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "متن اول")
    first = comment_id(runner, "متن اول")
    await reply(other, await open_discussion(other, payload), first, "پاسخ به سارا")
    page = await open_discussion(author, payload)
    await on_comment(author, page, first, "✏️")
    assert "متن تازه" in (await answer(author)).text
    await author.send("متن ویرایش‌شده")
    assert "ویرایش شد" in (await answer(author)).text
    await fake.wait_for(lambda: "متن ویرایش‌شده" in page.text)
    await author.press(page, "🗑")
    await fake.wait_for(lambda: "حذف شود؟" in page.text)
    await author.press(page, "بله")
    await fake.wait_for(lambda: "[این نظر حذف شده است]" in page.text and "حذف شود؟" not in page.text)
    assert "پاسخ به سارا" in page.text and "✏️" not in str(page.buttons) and "🗑" not in str(page.buttons)
    page = await open_discussion(other, payload)
    assert "[این نظر حذف شده است]" in page.text and "پاسخ به سارا" in page.text
    assert "متن ویرایش‌شده" not in page.text


async def test_only_the_author_can_edit(posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    author, stranger = FakeUser(fake, "مینا"), FakeUser(fake, "غریبه")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "مال من")
    page = await open_discussion(author, payload)
    await open_comment(author, page, comment_id(runner, "مال من"))
    edit_data = page.button("✏️")["callback_data"]
    stranger_page = await open_discussion(stranger, payload)
    stranger_page.reply_markup = {"inline_keyboard": [[{"text": "✏️ forged", "callback_data": edit_data}]]}
    query = await stranger.press(stranger_page, "forged")
    answer = await stranger.callback_answer(query)
    assert "فقط نویسنده" in answer["text"]


async def test_pages_of_five_with_next_previous_and_top_sorting(posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    writers = [FakeUser(fake, f"خواننده {i}") for i in range(7)]
    for i, writer in enumerate(writers):
        await comment(writer, await open_discussion(writer, payload), "نوشتن نظر", f"نظر شماره {i}")
    reader = FakeUser(fake, "ورق‌زن")
    page = await open_discussion(reader, payload)
    assert "نظر شماره 6" in page.text and "نظر شماره 1" not in page.text
    await reader.press(page, "صفحهٔ بعد")
    await fake.wait_for(lambda: "نظر شماره 0" in page.text)
    assert "نظر شماره 6" not in page.text
    await reader.press(page, "صفحهٔ قبل")
    await fake.wait_for(lambda: "نظر شماره 6" in page.text)
    assert len(reader.received()) == 1  # paging edits the page in place

    voter = FakeUser(fake, "رأی")
    vote_page = await open_discussion(voter, payload)
    await voter.press(vote_page, "صفحهٔ بعد")
    await fake.wait_for(lambda: "نظر شماره 0" in vote_page.text)
    await on_comment(voter, vote_page, comment_id(runner, "نظر شماره 1"), "👍")
    await fake.wait_for(lambda: vote_page.button("👍")["text"] == "👍 ۱")
    await voter.press(vote_page, "بازگشت")
    await fake.wait_for(lambda: "صفحهٔ ۲ از ۲" in vote_page.text)  # back to the page it came from
    await reader.press(page, "برترین")
    await fake.wait_for(lambda: "— برترین" in page.text)
    assert page.text.index("نظر شماره 1") < page.text.index("نظر شماره 6")


async def test_a_pending_comment_survives_a_restart(start_bot, posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    reader = FakeUser(fake, "صبور")
    page = await open_discussion(reader, payload)
    await reader.press(page, "نوشتن نظر")
    await reader.next_message()
    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL)
    await reader.send("نظری پس از راه‌اندازی دوباره")
    assert "ثبت شد" in (await reader.next_message()).text
    await fake.wait_for(lambda: "نظری پس از راه‌اندازی دوباره" in page.text)


async def test_a_redelivered_update_makes_one_comment(posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    fake.allow_errors("message is not modified")
    reader = FakeUser(fake, "تکرار")
    page = await open_discussion(reader, payload)
    await reader.press(page, "نوشتن نظر")
    await reader.next_message()
    message = await reader.send("یک بار")
    assert "ثبت شد" in (await reader.next_message()).text
    # Telegram delivers the same message again (as after a lost getUpdates answer), even while the reader
    # is composing another comment: it is recognised and not stored twice.
    await reader.press(page, "نوشتن نظر")
    await reader.next_message()
    await fake.deliver("message", message.to_json(fake))
    await reader.send("/help")
    assert "راهنما" in (await reader.next_message()).text
    rows = sqlite3.connect(runner.settings.database_path).execute("SELECT count(*) FROM comments").fetchone()
    assert rows == (1,)


async def test_input_rules_names_and_anonymity(posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    reader = FakeUser(fake, "Ali <script>")
    page = await open_discussion(reader, payload)
    await reader.press(page, "نوشتن نظر")
    prompt = await reader.next_message()
    await reader.send_sticker()  # a photo is answered with where photos go (tests/test_media_comments.py)
    assert "باید متنی باشد" in (await reader.next_message()).text
    await reader.send_photo()
    assert "فقط متن نشان می‌دهند" in (await reader.next_message()).text
    await reader.send("   \u202e  ")
    assert "خالی است" in (await reader.next_message()).text
    await reader.send("ب" * 2001)
    assert "بیشینه ۲٬۰۰۰" in (await reader.next_message()).text
    query = await reader.press(prompt, "ناشناس")
    assert "ناشناس" in (await reader.callback_answer(query))["text"]
    await reader.send("نظر بی‌نام")
    await reader.next_message()
    await fake.wait_for(lambda: "نظر بی‌نام" in page.text)
    assert "ناشناس" in page.text and "Ali" not in page.text
    row = sqlite3.connect(runner.settings.database_path).execute("SELECT author_id, anonymous FROM comments")
    assert row.fetchone() == (reader.id, 1)  # moderators still know who wrote it

    await reader.send("/name Ali <b>")
    assert "Ali <b>" in (await reader.next_message()).text
    await comment(reader, await open_discussion(reader, payload), "نوشتن نظر", "با نام تازه")
    page = await open_discussion(reader, payload)
    assert "Ali <b>" in page.text and "&lt;b&gt;" in page.html


async def test_a_reply_notifies_the_author_unless_turned_off(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, payload, _ = posted
    author, replier = FakeUser(fake, "پرسشگر"), FakeUser(fake, "پاسخ‌گو")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "کسی می‌داند؟")
    question = comment_id(runner, "کسی می‌داند؟")
    await reply(replier, await open_discussion(replier, payload), question, "بله، می‌دانم")
    notice = await author.next_message(timeout=10)
    assert "پاسخ‌گو" in notice.text and "بله، می‌دانم" in notice.text
    answer_id = comment_id(runner, "بله، می‌دانم")
    # The notice's button opens the reply itself, in reply to the question, ready to be answered (the
    # discussion's first page would leave it to be found among the story's comments).
    link = notice.button("دیدن پاسخ")["url"]
    assert link.endswith(f"start={payload}_{answer_id}")
    await author.send(f"/start {link.split('start=')[1]}")
    thread = await answer(author)
    assert shows_comment(thread, answer_id) and "در پاسخ به" in thread.text and "کسی می‌داند؟" in thread.text
    await comment(author, thread, "↩️", "ممنون از پاسخ")
    stored = "SELECT parent_id FROM comments WHERE text = 'ممنون از پاسخ'"
    assert sqlite3.connect(runner.settings.database_path).execute(stored).fetchone() == (answer_id,)
    # A reply hidden since (nothing under it): its link opens the nearest comment still shown.
    thanks = comment_id(runner, "ممنون از پاسخ")
    await owner.send("/start")
    await owner.next_message()
    await owner.send(f"/hide {thanks}")
    assert "پنهان" in (await owner.next_message()).text
    await replier.send(f"/start {payload}_{thanks}")
    assert shows_comment(await answer(replier), answer_id)

    await author.send("/replies off")
    assert "دیگر" in (await author.next_message()).text
    await reply(replier, await open_discussion(replier, payload), question, "پاسخ دوم")
    await author.send("/help")
    assert "راهنما" in (await author.next_message()).text  # no notice arrived before it


async def test_flood_limit(posted, fake: FakeTelegram) -> None:
    _, payload, _ = posted
    reader = FakeUser(fake, "پرحرف")
    for i in range(5):
        await comment(reader, await open_discussion(reader, payload), "نوشتن نظر", f"پیام {i}")
    page = await open_discussion(reader, payload)
    await reader.press(page, "نوشتن نظر")
    await reader.next_message()
    await reader.send("ششمین")
    assert "بیش از ۵ نظر" in (await reader.next_message()).text


async def test_page_buttons_keep_working_after_a_restart(start_bot, posted, fake: FakeTelegram) -> None:
    runner, payload, _ = posted
    writers = [FakeUser(fake, f"نویسنده {i}") for i in range(6)]
    for i, writer in enumerate(writers):
        await comment(writer, await open_discussion(writer, payload), "نوشتن نظر", f"نظر {i}")
    reader = FakeUser(fake, "پس از راه‌اندازی")
    page = await open_discussion(reader, payload)
    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL)
    await reader.press(page, "صفحهٔ بعد")
    await fake.wait_for(lambda: "نظر 0" in page.text and "نظر 5" not in page.text)
    await on_comment(reader, page, comment_id(runner, "نظر 0"), "👍")
    await fake.wait_for(lambda: page.button("👍")["text"] == "👍 ۱")
    await reader.press(page, "بازگشت")
    await fake.wait_for(lambda: "نظر 0" in page.text and "صفحهٔ ۲ از ۲" in page.text)


def first_strong_direction(text: str) -> str:
    """How a client lays out a paragraph (Unicode's rule P2): by its first strong letter, skipping isolated runs
    (FSI … PDI) — "rtl" for Persian, "ltr" for Latin."""
    import unicodedata

    depth = 0
    for char in text:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth = max(0, depth - 1)
        elif depth == 0 and unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return "ltr" if unicodedata.bidirectional(char) == "L" else "rtl"
    return "neutral"


async def test_a_reply_notice_reads_in_its_readers_direction_whatever_the_replier_is_called(
    posted, fake: FakeTelegram
) -> None:
    """The notice opens with the replier's name: a Latin name laid a Persian notice out left to right, and a
    Persian name an English one right to left (clients take a paragraph's direction from its first letter)."""
    runner, payload, _ = posted
    maryam, john = FakeUser(fake, "مریم"), FakeUser(fake, "John", language_code="en")
    await comment(maryam, await open_discussion(maryam, payload), "نوشتن نظر", "نظر مریم")
    await john.send(f"/start {payload}")
    johns_page = await john.next_message()
    await john.press_data(johns_page, f"d:o:{comment_id(runner, 'نظر مریم')}")
    await fake.wait_for(lambda: "نظر مریم" in johns_page.text and "🧵" in johns_page.text)
    await john.press(johns_page, "↩️")
    await john.next_message()
    await john.send("A reply from John")
    assert "posted" in (await john.next_message()).text
    notice = await maryam.next_message()
    assert "پاسخ داد" in notice.text and "John" in notice.text
    assert first_strong_direction(notice.text.split("\n")[0]) == "rtl", notice.text

    await reply(maryam, await open_discussion(maryam, payload), comment_id(runner, "A reply from John"), "پاسخ مریم")
    english = await john.next_message()
    assert "replied to your comment" in english.text and "مریم" in english.text
    assert first_strong_direction(english.text.split("\n")[0]) == "ltr", english.text


async def test_answering_a_discussion_message_with_telegrams_reply_writes_there(posted, fake: FakeTelegram) -> None:
    """Readers swipe to reply out of habit: a reply to the page is a comment on the story, a reply to a
    comment's view or to a reply notice answers that comment, each stored and shown, as with ✍️ and ↩️; a
    reply to anything else still gets the hint. (The text used to be answered «منتظر متنی نبودم» and lost.)"""
    runner, payload, _ = posted
    database = sqlite3.connect(runner.settings.database_path)
    sara, ali = FakeUser(fake, "سارا"), FakeUser(fake, "علی")
    page = await open_discussion(sara, payload)
    await sara.send("نظرم دربارهٔ این خبر", reply_to=page.message_id)
    assert "ثبت شد" in (await answer(sara)).text
    first = comment_id(runner, "نظرم دربارهٔ این خبر")
    assert database.execute("SELECT parent_id, author_id FROM comments WHERE id = ?", (first,)).fetchone() == (
        None, sara.id
    )  # fmt: skip
    await fake.wait_for(lambda: "نظرم دربارهٔ این خبر" in page.text)

    view = await open_discussion(ali, payload)
    await open_comment(ali, view, first)
    await ali.send("x" * 2001, reply_to=view.message_id)
    assert "کوتاه‌ترش کنید" in (await answer(ali)).text
    await ali.send("پاسخ علی به سارا")  # the new try the refusal asked for, without replying again
    assert "ثبت شد" in (await answer(ali)).text
    reply_id = comment_id(runner, "پاسخ علی به سارا")
    assert database.execute("SELECT parent_id FROM comments WHERE id = ?", (reply_id,)).fetchone() == (first,)
    await fake.wait_for(lambda: "پاسخ علی به سارا" in view.text)
    notice = await sara.next_message()
    assert "پاسخ داد" in notice.text
    await sara.send("ممنون از پاسخت", reply_to=notice.message_id)  # an answer to the notice answers the reply
    assert "ثبت شد" in (await answer(sara)).text
    thanks = "SELECT parent_id FROM comments WHERE text = 'ممنون از پاسخت'"
    assert database.execute(thanks).fetchone() == (reply_id,)
    assert "پاسخ داد" in notice.text  # the notice stays as it was
    await sara.send("/start")
    greeting = await answer(sara)
    await sara.send("سلام", reply_to=greeting.message_id)  # no discussion behind it: the hint, nothing stored
    assert "منتظر متنی نبودم" in (await answer(sara)).text
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (3,)
