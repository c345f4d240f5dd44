"""Moderation by what moderators see: stable comment ids in commands and notices, the review queue with its
context and several items at once, and the statistics of held comments."""

from __future__ import annotations

import pytest

from bot.app import BotRunner
from bot.render.ids import comment_ref
from bot.user_errors import ModerationError
from tests.conftest import services_of
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_discussion import answer, comment, open_discussion
from tests.test_group_moderation import setup
from tests.test_moderation import ask, comment_status, db, write

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def comment_id(runner: BotRunner, text: str) -> int:
    return int(db(runner).execute("SELECT id FROM comments WHERE text = ?", (text,)).fetchone()[0])


async def reply_in_bot(user: FakeUser, runner: BotRunner, page: FakeMessage, parent_id: int, text: str) -> FakeMessage:
    """What pressing reply under a comment and writing does; the page's buttons belong to the page's own tests."""
    article_id = int(db(runner).execute("SELECT article_id FROM comments WHERE id = ?", (parent_id,)).fetchone()[0])
    data = {"article": article_id, "parent": parent_id, "anonymous": False, "view_chat": user.id,
            "view_message": page.message_id}  # fmt: skip
    await services_of(runner).inputs.wait_for(user.id, "comment", data, 600)
    await user.send(text)
    return await answer(user)


async def test_moderators_act_on_the_stable_ids_they_see(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, payload, _post = posted
    first, second = FakeUser(fake, "اول"), FakeUser(fake, "دوم")
    await comment(first, await open_discussion(first, payload), "نوشتن نظر", "نظر نخست")
    await comment(second, await open_discussion(second, payload), "نوشتن نظر", "نظر دوم")
    first_id, second_id = comment_id(runner, "نظر نخست"), comment_id(runner, "نظر دوم")
    await owner.send("/start")
    await answer(owner)

    # The label moderators see (#۲) names that comment, whatever its place on a page.
    done = await ask(owner, f"/del {comment_ref(second_id, 'fa')} خلاف قوانین")
    assert comment_ref(second_id, "fa") in done.text and "حذف شد" in done.text
    assert comment_status(runner, "نظر دوم")[0] == "deleted"
    assert comment_status(runner, "نظر نخست") == ("published", None)

    # Arabic-Indic digits name the same ids; /hide takes the comment off the pages into the queue.
    hidden = await ask(owner, "/hide " + str(first_id).translate(ARABIC_INDIC))
    assert comment_ref(first_id, "fa") in hidden.text and "صف بررسی" in hidden.text
    assert comment_status(runner, "نظر نخست") == ("pending", "moderator")
    assert "نظر نخست" not in (await open_discussion(FakeUser(fake, "تازه"), payload)).text
    queue = await ask(owner, "/queue")
    assert comment_ref(first_id, "fa") in queue.text and "پنهان‌شده به دست مدیر" in queue.text
    approved = await ask(owner, f"/approve #{first_id}")
    assert comment_ref(first_id, "fa") in approved.text and "تأیید شد" in approved.text
    assert comment_status(runner, "نظر نخست") == ("published", None)
    assert "نظر نخست" in (await open_discussion(FakeUser(fake, "دیگر"), payload)).text
    assert "منتشر شد" not in (first.received()[-1].text_or_none or "")  # it had been shown: no "published" notice

    # #id names the comment's author for the user commands.
    banned = await ask(owner, f"/ban {comment_ref(first_id, 'fa')} 1d")
    assert "مسدود شد" in banned.text and "اول" in banned.text
    assert db(runner).execute("SELECT user_id FROM bans").fetchall() == [(first.id,)]

    # Ids out of range or malformed get the usage and change nothing.
    before = db(runner).execute("SELECT count(*) FROM audit_log").fetchone()
    for text, usage in (("/del #0", "/del"), ("/del 99999999999999999999", "/del"), ("/hide #abc", "/hide"),
                        ("/approve", "/approve"), ("/approve 12 x", "/approve"), ("/reject", "/reject")):  # fmt: skip
        assert usage in (await ask(owner, text)).text, text
    assert db(runner).execute("SELECT count(*) FROM audit_log").fetchone() == before

    # Readers cannot, by command or through the service the comment's own moderator buttons call.
    assert "فقط برای" in (await ask(second, f"/hide {first_id}")).text
    with pytest.raises(ModerationError) as refused:
        await runner.services.queue.hide(second.id, first_id)
    assert refused.value.key == "not_allowed_moderator"
    assert comment_status(runner, "نظر نخست") == ("published", None)

    log = await ask(owner, "/modlog")
    assert comment_ref(second_id, "fa") in log.text and comment_ref(first_id, "fa") in log.text


async def test_the_queue_shows_the_story_and_the_parent_and_approves_a_page_at_once(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, payload, post = posted
    author, replier, guest = FakeUser(fake, "نویسنده"), FakeUser(fake, "پاسخ‌دهنده"), FakeUser(fake, "مهمان")
    author_page = await open_discussion(author, payload)
    await comment(author, author_page, "نوشتن نظر", "نظر اصلی دربارهٔ خبر")
    parent_id = comment_id(runner, "نظر اصلی دربارهٔ خبر")
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    page = await open_discussion(replier, payload)
    assert "پس از بررسی" in (await reply_in_bot(replier, runner, page, parent_id, "پاسخی که بررسی می‌شود")).text
    guest_page = await open_discussion(guest, payload)
    for text in ("نظر مهمان یک", "نظر مهمان دو"):
        assert "پس از بررسی" in (await write(guest, guest_page, text)).text
    held = [comment_id(runner, t) for t in ("پاسخی که بررسی می‌شود", "نظر مهمان یک", "نظر مهمان دو")]

    queue = await ask(owner, "/queue")
    # The parent of a reply, and the story linked to its channel post.
    assert f"در پاسخ به {comment_ref(parent_id, 'fa')}" in queue.text and "نظر اصلی دربارهٔ خبر" in queue.text
    assert f'href="https://t.me/news_test/{post.message_id}"' in (queue.html_or_none or "")
    title = db(runner).execute("SELECT title FROM articles").fetchone()[0]
    assert title in queue.text
    for held_id in held:
        ref = comment_ref(held_id, "fa")
        assert ref in queue.text and {f"✅ {ref}", f"❌ {ref}", f"⛔️ {ref}"} <= {b["text"] for b in queue.buttons}

    # A reader pressing the moderator's button is refused on the server.
    query = await guest.press(queue, "تأیید همهٔ این صفحه")
    assert "فقط برای" in (await guest.callback_answer(query))["text"]
    assert all(comment_status(runner, t)[0] == "pending" for t in ("نظر مهمان یک", "نظر مهمان دو"))

    query = await owner.press(queue, "تأیید همهٔ این صفحه (۳)")
    approved = (await owner.callback_answer(query))["text"]
    assert all(comment_ref(held_id, "fa") in approved for held_id in held)
    await fake.wait_for(lambda: "خالی" in owner.received()[-1].text)
    assert [comment_status(runner, t) for t in ("پاسخی که بررسی می‌شود", "نظر مهمان یک", "نظر مهمان دو")] == [
        ("published", None)
    ] * 3
    notice = await author.next_message()
    assert "پاسخ داد" in notice.text and "پاسخی که بررسی می‌شود" in notice.text

    # /approve and /reject take several ids; one no longer in the queue is named, the rest are done.
    late = FakeUser(fake, "دیرآمده")
    late_page = await open_discussion(late, payload)
    for text in ("سوم", "چهارم"):
        await write(late, late_page, f"نظر مهمان {text}")
    third, fourth = comment_id(runner, "نظر مهمان سوم"), comment_id(runner, "نظر مهمان چهارم")
    rejected = await ask(owner, f"/reject {third} #{fourth} {held[0]} تکراری")
    assert comment_ref(third, "fa") in rejected.text and comment_ref(fourth, "fa") in rejected.text
    assert "دیگر در صف نبود" in rejected.text and comment_ref(held[0], "fa") in rejected.text
    assert comment_status(runner, "نظر مهمان سوم") == ("rejected", None)
    told = await fake.wait_for(lambda: len(found := [m.text for m in late.received() if "منتشر نشد" in m.text]) == 2
                               and found)  # fmt: skip
    assert all("دلیل: تکراری" in text for text in told)


async def test_long_queues_come_in_pages_that_fit_one_message(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, payload, _post = posted
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    writers = [FakeUser(fake, f"نویسنده {i}") for i in range(7)]
    for i, writer in enumerate(writers):
        await write(writer, await open_discussion(writer, payload), f"نظر {i} " + "واژه " * 390)
    queue = await ask(owner, "/queue")  # the fake refuses messages over 4096 characters
    first_page = [row[0] for row in db(runner).execute("SELECT id FROM comments ORDER BY id")]
    shown = [c for c in first_page if f"✅ {comment_ref(c, 'fa')}" in {b["text"] for b in queue.buttons}]
    assert 1 <= len(shown) <= 5 and shown == first_page[: len(shown)]
    await owner.press(queue, "بعدی")
    await fake.wait_for(lambda: comment_ref(first_page[len(shown)], "fa") in owner.received()[-1].text)
    assert comment_ref(first_page[0], "fa") not in owner.received()[-1].text


async def test_a_single_held_comment_is_shown_whole(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    _runner, payload, _post = posted
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    writer = FakeUser(fake, "پرنویس")
    long_text = "آغاز " + "واژه " * 300 + "پایان"
    await write(writer, await open_discussion(writer, payload), long_text)
    queue = await ask(owner, "/queue")
    assert "آغاز" in queue.text and "پایان" in queue.text and "…" not in queue.text


async def test_stats_count_comments_held_in_the_period_even_once_reviewed(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, payload, _post = posted
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    reader = FakeUser(fake, "خواننده")
    await write(reader, await open_discussion(reader, payload), "نظری که نگه داشته شد")
    await ask(owner, f"/approve {comment_id(runner, 'نظری که نگه داشته شد')}")
    assert comment_status(runner, "نظری که نگه داشته شد") == ("published", None)
    stats = await ask(owner, "/stats")
    assert "نظرهای نگه‌داشته: ۱" in stats.text and "در صف بررسی: ۰" in stats.text


async def test_a_group_message_hidden_by_reply_comes_back_in_its_thread_when_approved(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    moderator, writer = FakeUser(fake, "ناظر"), FakeUser(fake, "نویسنده")
    group.members.update({moderator.id: "administrator", writer.id: "member"})
    message = await writer.send("نظری بحث‌برانگیز", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    await moderator.send("/hide", chat=group, reply_to=message.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: message.deleted)
    assert database.execute("SELECT status, hold_reason FROM comments").fetchone() == ("pending", "moderator")
    comment = database.execute("SELECT id FROM comments").fetchone()[0]
    await moderator.send(f"/approve {comment_ref(comment, 'fa')}", chat=group, thread_id=root.message_id)
    repost = await fake.wait_for(lambda: [m for m in fake.history(group.id, from_bot=True) if "بحث‌برانگیز" in m.text])
    assert repost[0].reply_to == root.message_id
    assert database.execute("SELECT status FROM comments").fetchone() == ("published",)
