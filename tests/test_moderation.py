"""Moderation end to end through the fake Telegram: commands, filters, the queue, reports, premoderation."""

from __future__ import annotations

import re
import sqlite3

from bot.app import BotRunner
from bot.render.ids import comment_ref
from bot.texts import PERSIAN_DIGITS as PERSIAN
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_discussion import answer, comment, comment_id, on_comment, open_comment, open_discussion


def db(runner: BotRunner) -> sqlite3.Connection:
    return sqlite3.connect(runner.settings.database_path)


async def ask(user: FakeUser, text: str) -> FakeMessage:
    await user.send(text)
    return await answer(user)


async def write(user: FakeUser, page: FakeMessage, text: str, label: str = "نوشتن نظر") -> FakeMessage:
    """Press write (or reply) and send the text; return the bot's answer to the text."""
    await user.press(page, label)
    prompt = await answer(user)
    assert "یک پیام بنویسید" in prompt.text, prompt.text
    await user.send(text)
    return await answer(user)


def ref(runner: BotRunner, text: str) -> str:
    """The label moderators see for the comment with this text (`#۱۲`)."""
    return comment_ref(db(runner).execute("SELECT id FROM comments WHERE text = ?", (text,)).fetchone()[0], "fa")


def comment_status(runner: BotRunner, text: str) -> tuple[str, str | None]:
    return db(runner).execute("SELECT status, hold_reason FROM comments WHERE text = ?", (text,)).fetchone()


async def test_word_filters_refuse_banned_words_and_hold_suspect_ones_for_the_queue(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, payload, _post = posted
    assert "افزوده شد" in (await ask(owner, "/filter add banned احمق")).text
    assert "افزوده شد" in (await ask(owner, "/filter add suspect خر")).text
    assert "پیش‌تر" in (await ask(owner, "/filter add banned اَحمق")).text  # the same word, spelled otherwise
    listing = await ask(owner, "/filter list")
    assert "ممنوع: احمق" in listing.text and "مشکوک: خر" in listing.text

    reader = FakeUser(fake, "نگار")
    page = await open_discussion(reader, payload)
    refused = await write(reader, page, "نویسنده ا.ح.م.ق است")
    assert "«احمق»" in refused.text and "مجاز نیست" in refused.text
    assert db(runner).execute("SELECT count(*) FROM comments").fetchone() == (0,)
    held = await write(reader, page, "تو خر هستی")
    assert "پس از بررسی" in held.text
    assert comment_status(runner, "تو خر هستی") == ("pending", "suspect")

    queue = await ask(owner, "/queue")
    assert "تو خر هستی" in queue.text and "واژهٔ مشکوک" in queue.text and "نگار" in queue.text
    await owner.press(queue, "تأیید")
    await fake.wait_for(lambda: "خالی" in owner.received()[-1].text)
    assert comment_status(runner, "تو خر هستی") == ("published", None)
    notice = await answer(reader)
    assert "منتشر شد" in notice.text and "تو خر هستی" in notice.text
    # Filters survive a restart.
    await runner.stop()
    await fake.wait_for(lambda: True)
    runner2 = BotRunner(runner.settings)
    await runner2.start()
    try:
        assert "مجاز نیست" in (await write(reader, page, "احمممق")).text
    finally:
        await runner2.stop()


async def test_a_reply_refused_for_a_banned_word_is_taken_when_written_again(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    """The refusal asks the reader to write the reply again without the word: their next message is that reply,
    under the same comment, without pressing ↩️ again (it used to get "I was not waiting for a text")."""
    runner, payload, _post = posted
    await ask(owner, "/filter add banned احمق")
    author, reader = FakeUser(fake, "نویسنده"), FakeUser(fake, "نگار")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "نظر نخست")
    page = await open_discussion(reader, payload)
    await open_comment(reader, page, comment_id(runner, "نظر نخست"))
    refused = await write(reader, page, "نویسنده احمق است", label="↩️")
    assert "«احمق»" in refused.text and "دوباره بنویسید" in refused.text
    await reader.send("با نویسنده موافق نیستم")
    assert "ثبت شد" in (await answer(reader)).text
    stored = "SELECT text, parent_id, status FROM comments WHERE author_id = ?"
    assert db(runner).execute(stored, (reader.id,)).fetchall() == [
        ("با نویسنده موافق نیستم", comment_id(runner, "نظر نخست"), "published")
    ]
    await reader.send("پیامی که دیگر نظر نیست")
    assert "منتظر متنی نبودم" in (await answer(reader)).text


async def test_ban_mute_and_warns_and_they_survive_a_restart(
    posted, fake: FakeTelegram, owner: FakeUser, start_bot
) -> None:
    runner, payload, _post = posted
    reader = FakeUser(fake, "رضا", username="reza_news")
    page = await open_discussion(reader, payload)
    await comment(reader, page, "نوشتن نظر", "نظر پیش از مسدودی")
    other = FakeUser(fake, "دیگری")
    await comment(other, await open_discussion(other, payload), "نوشتن نظر", "نظر دیگری")
    await owner.send("/start")
    await answer(owner)

    banned = await ask(owner, "/ban @reza_news 2h توهین به دیگران")
    assert "رضا" in banned.text and "مسدود شد" in banned.text and "۲ ساعت" in banned.text
    query = await reader.press(page, "نوشتن نظر")
    assert "مسدود" in (await reader.callback_answer(query))["text"]
    view = await open_discussion(reader, payload)
    query = await on_comment(reader, view, comment_id(runner, "نظر دیگری"), "👍")
    assert "مسدود" in (await reader.callback_answer(query))["text"]
    query = await reader.press(view, "🚩")
    assert "مسدود" in (await reader.callback_answer(query))["text"]

    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    query = await reader.press(page, "نوشتن نظر")
    assert "مسدود" in (await reader.callback_answer(query))["text"]

    assert "دیگر مسدود نیست" in (await ask(owner, f"/unban {reader.id}")).text
    assert "مسدود نبود" in (await ask(owner, f"/unban {reader.id}")).text
    await comment(reader, page, "نوشتن نظر", "نظر پس از رفع مسدودی")

    assert "نمی‌تواند نظر بدهد" in (await ask(owner, f"/mute {reader.id} 30m")).text
    query = await reader.press(page, "نوشتن نظر")
    assert (
        "سکوت" in (await reader.callback_answer(query))["text"]
        or "نمی‌توانید نظر" in (await reader.callback_answer(query))["text"]
    )
    assert "دوباره می‌تواند" in (await ask(owner, f"/unmute {reader.id}")).text
    assert "/mute" in (await ask(owner, f"/mute {reader.id}")).text  # no duration: the usage
    # A reason too long for the notice that tells it is refused, and nothing is recorded.
    assert "حداکثر ۳۰۰ نویسه" in (await ask(owner, f"/warn {reader.id} {'لحن تند ' * 500}")).text
    assert db(runner).execute("SELECT count(*) FROM warns").fetchone() == (0,)

    first = await ask(owner, f"/warn {reader.id} لحن تند")
    assert "۱ از ۳" in first.text
    assert "لحن تند" in (await answer(reader)).text  # the reader hears of it
    assert "اخطارهای فعال" in (warns := await ask(owner, f"/warns {reader.id}")).text and "لحن تند" in warns.text
    await ask(owner, f"/warn {reader.id}")
    # A warn without a reason says so, in words, not with a bare dash.
    listed = (await ask(owner, f"/warns {reader.id}")).text.split("\n")
    assert len(listed) == 3 and listed[1].endswith("— لحن تند") and listed[2].endswith("— بدون دلیل"), listed
    await owner.send(f"/warn {reader.id}")
    assert "۳ از ۳" in (await answer(owner)).text
    assert "سکوت موقت" in (await answer(owner)).text
    muted = db(runner).execute("SELECT until, reason FROM mutes WHERE user_id = ?", (reader.id,)).fetchone()
    assert muted is not None and muted[1] == "warn_limit"

    actions = [row[0] for row in db(runner).execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["ban", "unban", "unban", "mute", "unmute", "warn", "warn", "warn", "mute"]
    log = await ask(owner, "/modlog")
    assert f"کاربر {reader.id:d}".translate(PERSIAN) + " را مسدود کرد" in log.text
    assert "به کاربر" in log.text and "اخطار داد" in log.text and "؛ دلیل: لحن تند" in log.text
    assert "ربات: کاربر" in log.text and "؛ دلیل: رسیدن به سقف اخطارها" in log.text  # the automatic mute
    assert not re.search(
        "[A-Za-z]", log.text.replace("Owner", "")
    )  # no stored codes (ban, warn_limit) shown as they are


async def test_a_duration_written_in_two_words_is_the_duration_not_the_reason(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    """The bot writes durations «۲ ساعت»; an admin who writes them so gets that ban, not a permanent ban with
    the reason «۲ ساعت توهین», and a mute «۳۰ دقیقه» is a mute, not the usage."""
    runner, _payload, _post = posted
    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "سارا")
    for reader in (ali, sara):
        await reader.send("/start")
        await answer(reader)
    banned = await ask(owner, f"/ban {ali.id} ۲ ساعت توهین")
    assert "مدت: ۲ ساعت" in banned.text
    until, reason, created = db(runner).execute("SELECT until, reason, created_at FROM bans").fetchone()
    assert (until - created, reason) == (7200, "توهین")
    muted = await ask(owner, f"/mute {sara.id} 30 minutes spam")
    assert "۳۰ دقیقه" in muted.text
    stored = "SELECT until - created_at, reason FROM mutes WHERE user_id = ?"
    assert db(runner).execute(stored, (sara.id,)).fetchone() == (1800, "spam")


async def test_modlog_tells_how_long_each_ban_and_mute_lasts_in_each_admins_language(
    start_bot, fake: FakeTelegram, owner: FakeUser
) -> None:
    """/modlog says what each ban and mute is for (two hours, for good, 30 minutes) in the moderator's words and
    digits; a lift and a warn have no length. The length is stored with the entry, so it stays true after the
    sanction ends."""
    runner = await start_bot(OWNER_IDS=f"{OWNER_ID},{OWNER_ID + 1}")
    kate = FakeUser(fake, "Kate", user_id=OWNER_ID + 1, language_code="en")
    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "سارا")
    for user in (owner, kate, ali, sara):
        await user.send("/start")
        await answer(user)
    await ask(owner, f"/ban {ali.id} 2h توهین")
    await ask(owner, f"/unban {ali.id}")
    await ask(owner, f"/ban {ali.id}")
    await ask(kate, f"/mute {sara.id} 30m هرزنامه")
    await ask(kate, f"/warn {sara.id}")
    stored = db(runner).execute("SELECT action, duration FROM audit_log ORDER BY id").fetchall()
    assert stored == [("ban", 7200), ("unban", None), ("ban", 0), ("mute", 1800), ("warn", None)]

    persian = (await ask(owner, "/modlog")).text.split("\n")
    ali_fa, sara_fa = (f"کاربر {user.id:d}".translate(PERSIAN) for user in (ali, sara))
    assert persian[1].endswith(f"{sara_fa} اخطار داد")
    assert persian[2].endswith(f"{sara_fa} را به سکوت موقت برد؛ به مدت ۳۰ دقیقه؛ دلیل: هرزنامه")
    assert persian[3].endswith(f"{ali_fa} را مسدود کرد؛ برای همیشه")
    assert persian[4].endswith(f"مسدودی {ali_fa} را برداشت")
    assert persian[5].endswith(f"{ali_fa} را مسدود کرد؛ به مدت ۲ ساعت؛ دلیل: توهین")
    english = (await ask(kate, "/modlog")).text.split("\n")
    assert f"muted user {sara.id}; for 30 minutes; reason: " in english[2]
    assert english[3].endswith(f"banned user {ali.id}; for good")
    assert f"banned user {ali.id}; for 2 hours; reason: " in english[5]


async def test_admins_and_special_cases_cannot_be_punished(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, _payload, _post = posted
    assert "مدیران را نمی‌شود" in (await ask(owner, f"/ban {owner.id}")).text
    assert "حساب‌های ویژه" in (await ask(owner, "/ban 777000")).text
    assert "/ban" in (await ask(owner, "/ban @nobody_seen")).text  # unknown username: the usage
    assert db(runner).execute("SELECT count(*) FROM bans").fetchone() == (0,)


async def test_reports_hide_a_comment_at_the_threshold(posted, fake: FakeTelegram, owner: FakeUser, start_bot) -> None:
    runner, payload, _post = posted
    author = FakeUser(fake, "نویسنده")
    page = await open_discussion(author, payload)
    await comment(author, page, "نوشتن نظر", "نظری که گزارش می‌شود")
    await owner.send("/start")
    await answer(owner)
    reporters = [FakeUser(fake, f"خواننده {i}") for i in range(3)]
    reported = comment_id(runner, "نظری که گزارش می‌شود")
    for i, reporter in enumerate(reporters):
        view = await open_discussion(reporter, payload)
        assert "نظری که گزارش می‌شود" in view.text
        query = await on_comment(reporter, view, reported, "🚩")
        assert "گزارش" in (await reporter.callback_answer(query))["text"]
        if i == 0:
            again = await reporter.press(view, "🚩")
            assert "پیش‌تر" in (await reporter.callback_answer(again))["text"]
            early = await ask(owner, "/queue")  # one report: in the queue, still shown to readers
            assert "نظری که گزارش می‌شود" in early.text and "هنوز نمایش داده می‌شود" in early.text
    assert comment_status(runner, "نظری که گزارش می‌شود") == ("pending", "reports")
    assert "/queue" in (await answer(owner)).text  # moderators hear of it
    view = await open_discussion(FakeUser(fake, "تازه‌وارد"), payload)
    assert "نظری که گزارش می‌شود" not in view.text
    queue = await ask(owner, "/queue")
    assert "گزارش خوانندگان" in queue.text and "گزارش‌ها: ۳" in queue.text
    await owner.press(queue, "تأیید")
    await fake.wait_for(lambda: "خالی" in owner.received()[-1].text)
    assert comment_status(runner, "نظری که گزارش می‌شود") == ("published", None)
    # Reports before the review do not count again.
    late = FakeUser(fake, "دیرآمده")
    view = await open_discussion(late, payload)
    await late.callback_answer(await on_comment(late, view, reported, "🚩"))
    assert comment_status(runner, "نظری که گزارش می‌شود") == ("published", None)
    # The new report brings it back to the queue, still shown; rejecting it now takes it down.
    queue = await ask(owner, "/queue")
    assert "هنوز نمایش داده می‌شود" in queue.text and "گزارش‌ها: ۱" in queue.text
    await owner.press(queue, "❌ رد")
    reasons = await fake.wait_for(lambda: "توهین" in str(owner.received()[-1].buttons) and owner.received()[-1])
    await owner.press(reasons, "توهین")
    await fake.wait_for(lambda: comment_status(runner, "نظری که گزارش می‌شود") == ("rejected", None))
    assert db(runner).execute("SELECT comment_count FROM articles").fetchone() == (0,)


async def test_admins_cannot_be_reported_and_reports_are_rate_limited(
    posted, fake: FakeTelegram, owner: FakeUser, start_bot
) -> None:
    runner, payload, _post = posted
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL, REPORTS_PER_HOUR="2")
    page = await open_discussion(owner, payload)
    await comment(owner, page, "نوشتن نظر", "نظر مدیر")
    others = [FakeUser(fake, f"نویسنده {i}") for i in range(3)]
    for i, other in enumerate(others):
        await comment(other, await open_discussion(other, payload), "نوشتن نظر", f"نظر شمارهٔ {i}")
    reporter = FakeUser(fake, "گزارشگر")
    view = await open_discussion(reporter, payload)
    answers = []
    texts = ["نظر شمارهٔ 2", "نظر شمارهٔ 1", "نظر شمارهٔ 0", "نظر مدیر"]  # the three readers', then the admin's
    for text in texts:
        query = await on_comment(reporter, view, comment_id(runner, text), "🚩")
        answers.append((await reporter.callback_answer(query))["text"])
    assert "گزارش" in answers[0] and "گزارش" in answers[1]
    assert "کافی" in answers[2]  # the third within the hour
    assert "مدیران" in answers[3]
    assert db(runner).execute("SELECT count(*) FROM reports").fetchone() == (2,)


async def test_premoderation_of_new_users_and_rejection_with_a_reason(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, payload, _post = posted
    assert "کاربران تازه" in (await ask(owner, "/premod new")).text
    newcomer = FakeUser(fake, "تازه")
    page = await open_discussion(newcomer, payload)
    assert "پس از بررسی" in (await write(newcomer, page, "اولین نظر من")).text
    assert "پس از بررسی" in (await write(newcomer, page, "ببینید https://spam.example")).text
    assert comment_status(runner, "ببینید https://spam.example") == ("pending", "link")
    # Held comments are not on the page and not in the channel's count.
    assert db(runner).execute("SELECT comment_count FROM articles").fetchone() == (0,)

    queue = await ask(owner, "/queue")
    assert "اولین نظر من" in queue.text and "کاربر تازه" in queue.text
    await owner.press(queue, f"❌ {ref(runner, 'اولین نظر من')}")  # the first of the two on the page
    reasons = await fake.wait_for(
        lambda: any("توهین" in b["text"] for b in owner.received()[-1].buttons) and owner.received()[-1]
    )
    await owner.press(reasons, "توهین")
    await fake.wait_for(lambda: "اولین نظر من" not in owner.received()[-1].text)
    assert "ببینید" in owner.received()[-1].text  # the page is drawn again with what is left
    assert comment_status(runner, "اولین نظر من") == ("rejected", None)
    told = await answer(newcomer)
    assert "منتشر نشد" in told.text and "دلیل: توهین" in told.text

    await owner.press(owner.received()[-1], "❌ رد")
    reasons = await fake.wait_for(
        lambda: any("دلیل دیگر" in b["text"] for b in owner.received()[-1].buttons) and owner.received()[-1]
    )
    await owner.press(reasons, "دلیل دیگر")
    assert "دلیل رد را بنویسید" in (await answer(owner)).text
    # A photo, then a reason longer than a notice should carry: each is refused and the reason still awaited
    # (a photo used to end the wait; a long reason was cut at 300 characters without a word).
    await owner.send_photo()
    assert "به صورت متن" in (await answer(owner)).text
    await owner.send("تبلیغ " * 60)
    assert "حداکثر ۳۰۰ نویسه" in (await answer(owner)).text
    assert comment_status(runner, "ببینید https://spam.example") == ("pending", "link")
    await owner.send("پیوند تبلیغاتی <b>ممنوع</b>")
    assert "رد شد" in (await answer(owner)).text
    told = await answer(newcomer)
    assert "پیوند تبلیغاتی &lt;b&gt;ممنوع&lt;/b&gt;" in told.html or "<b>ممنوع</b>" in told.text
    assert "خالی" in (await answer(owner)).text

    assert "خاموش" in (await ask(owner, "/premod off")).text
    assert "ثبت شد" in (await write(newcomer, page, "حالا بی‌بررسی")).text
    assert comment_status(runner, "حالا بی‌بررسی") == ("published", None)


async def test_delete_lock_unlock_and_stats(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, payload, _post = posted
    reader = FakeUser(fake, "سارا")
    page = await open_discussion(reader, payload)
    await comment(reader, page, "نوشتن نظر", "نظری که حذف می‌شود")
    comment_id = db(runner).execute("SELECT id FROM comments").fetchone()[0]
    assert "حذف شد" in (await ask(owner, f"/del {comment_id} خلاف قوانین")).text
    assert db(runner).execute("SELECT status FROM comments").fetchone() == ("deleted",)
    assert "دیگر" in (await ask(owner, f"/del {comment_id}")).text  # already gone
    article_id, public_id = db(runner).execute("SELECT id, public_id FROM articles").fetchone()
    assert "بسته شد" in (await ask(owner, f"/lock {article_id}")).text
    query = await reader.press(page, "نوشتن نظر")  # a button drawn before the lock: refused at once
    assert "بسته شده" in (await reader.callback_answer(query))["text"]
    assert "باز شد" in (await ask(owner, f"/unlock https://t.me/bot?start=a{public_id}")).text
    # The locked page may have been redrawn without its write button meanwhile: the reader opens it again.
    page = await open_discussion(reader, payload)
    await comment(reader, page, "نوشتن نظر", "دوباره باز")
    stats = await ask(owner, "/stats")
    assert "۲۴ ساعت گذشته" in stats.text and "نظرها: ۲" in stats.text and "کاربران فعال: ۱" in stats.text


async def test_every_action_reaches_the_log_chat(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    log_chat = fake.add_group(-1003000, "گزارش مدیریت")
    runner = await start_bot(CHANNEL_ID=CHANNEL, MOD_LOG_CHAT_ID=str(log_chat.id))
    target = FakeUser(fake, "هدف")
    await target.send("/start")
    await answer(target)
    await ask(owner, f"/ban {target.id} 1d اسپم")
    entry = await fake.wait_for(lambda: fake.history(log_chat.id, from_bot=True)[:1], 10)
    assert (
        f"\u200f🛡 \u2066Owner\u2069: کاربر {target.id:d}".translate(PERSIAN) + " را مسدود کرد؛ دلیل: اسپم؛ تا "
        in entry[0].text
    )
    assert db(runner).execute("SELECT actor_id, action, target_id, reason FROM audit_log").fetchall() == [
        (owner.id, "ban", str(target.id), "اسپم")
    ]


async def test_malformed_commands_get_their_usage_and_change_nothing(
    posted, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner, _payload, _post = posted
    cases = [
        ("/ban abc", "/ban"), ("/mute 123", "/mute"), ("/mute 123 soon", "/mute"), ("/warn", "/warn"),
        ("/del xyz", "/del"), ("/lock 99999", "/lock"), ("/filter add", "/filter"),
        ("/filter add weird word", "/filter"), ("/premod maybe", "/premod"), ("/addadmin", "/addadmin"),
        ("/digesttimes 25:99", "/digesttimes"), ("/digest later", "/digest"), ("/search", "/search"),
    ]  # fmt: skip
    for text, usage in cases:
        assert usage in (await ask(owner, text)).text, text
    database = db(runner)
    for table in ("audit_log", "bans", "mutes", "warns", "word_filters", "admins", "digests"):
        if table == "digests":  # start-up may record a missed digest as skipped; nothing is sent
            assert database.execute("SELECT count(*) FROM digests WHERE state = 'sent'").fetchone() == (0,)
            continue
        assert database.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


async def test_english_moderators_and_readers_get_english(posted, fake: FakeTelegram) -> None:
    _runner, _payload, _post = posted
    owner = FakeUser(fake, "Owner", user_id=424242, language_code="en")
    assert "review queue is empty" in (await ask(owner, "/queue")).text
    assert "/ban id-or-@username" in (await ask(owner, "/ban")).text
    reader = FakeUser(fake, "Sam", language_code="en")
    assert "for admins and discussion moderators only" in (await ask(reader, "/stats")).text
    settings = await ask(reader, "/subscribe")
    assert "Subscription settings" in settings.text and any("instant" in b["text"] for b in settings.buttons)
    assert "No story with “anything” was found." in (await ask(reader, "/search anything")).text


async def test_an_approved_reply_notifies_the_parent_author(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, payload, _post = posted
    first, second = FakeUser(fake, "اول"), FakeUser(fake, "دوم")
    await comment(first, await open_discussion(first, payload), "نوشتن نظر", "نظر نخست")
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    page = await open_discussion(second, payload)
    await open_comment(second, page, comment_id(runner, "نظر نخست"))
    assert "پس از بررسی" in (await write(second, page, "پاسخی که بررسی می‌شود", label="↩️")).text
    queue = await ask(owner, "/queue")
    await owner.press(queue, "تأیید")
    notice = await first.next_message()
    assert "پاسخ داد" in notice.text and "پاسخی که بررسی می‌شود" in notice.text


async def test_command_words_are_understood_in_either_language(bot, fake: FakeTelegram, owner: FakeUser) -> None:
    assert "افزوده شد" in (await ask(owner, "/filter افزودن ممنوع احمق")).text
    assert "افزوده شد" in (await ask(owner, "/filter add مشکوک خر")).text
    listing = await ask(owner, "/filter فهرست")
    assert "ممنوع: احمق" in listing.text and "مشکوک: خر" in listing.text
    assert "«احمق»" in (await ask(owner, "/filter آزمون او احمق است")).text
    assert "برداشته شد" in (await ask(owner, "/filter حذف banned احمق")).text
    assert "/filter add banned" in (await ask(owner, "/filter بیفزا ممنوع احمق")).text  # no such word: the usage
    reader = FakeUser(fake, "Sam", language_code="en")
    assert "I will tell you" in (await ask(reader, "/replies روشن")).text
    assert "No more reply notices" in (await ask(reader, "/replies off")).text
    assert "/replies on" in (await ask(reader, "/replies maybe")).text
