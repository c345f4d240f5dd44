"""Every reader in their own language: the /language choice, else their Telegram's language, else BOT_LANGUAGE;
for messages sent without an update at hand (alerts, digests, notices) as much as for answers."""

from __future__ import annotations

import re

from bot.texts import Id, Text
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_digests import future_slot, wall_at
from tests.test_discussion import answer
from tests.test_subscriptions import PRESIDENT, publish


async def test_english_telegram_readers_get_english_alerts_and_digests(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    instant = FakeUser(fake, "Kate", language_code="en-GB")
    digest = FakeUser(fake, "Tom", language_code="en")
    chose_persian = FakeUser(fake, "Sara", language_code="en")
    for reader, mode in ((instant, "instant"), (digest, "digest"), (chose_persian, "instant")):
        await reader.send("/subscribe")
        settings = await answer(reader)
        assert "Subscription settings" in settings.text
        await reader.press(settings, mode)
        await fake.wait_for_text(settings, f"Mode: {mode}")
    await chose_persian.send("/language")
    await chose_persian.press(await answer(chose_persian), "فارسی")
    await fake.wait_for(lambda: any("فارسی شد" in (m.text_or_none or "") for m in chose_persian.received()))
    # A restart: what the bot knows of each reader's language comes from the database, not from memory.
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)

    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    alert = await answer(instant)
    assert alert.text.startswith("\u200e⚡") and "Source: \u2067ایرنا\u2069" in alert.text
    assert alert.buttons[0]["text"] == "💬 Story and comments"
    persian_alert = await answer(chose_persian)
    assert "منبع: ایرنا" in persian_alert.text and persian_alert.buttons[0]["text"] == "💬 خبر و نظرها"

    slot = future_slot(runner, 8)
    runner.services.digests.clock = wall_at(slot + 60)
    assert await runner.services.digests.run_due() == "sent"
    personal = await answer(digest)
    assert personal.text.startswith("🗞 Morning digest for you, ")
    assert "برنامه اقتصادی" in personal.text


# What a Persian answer may contain in Latin script: commands, setting names, formats and protocols, a name
# (Owner), and the words commands take (off/all/new, add/rm banned/suspect, now/preview).
ALLOWED_LATIN = re.compile(
    r"/[a-z_]+(@\w+)?|https?://\S+|\b[A-Z][A-Z_]{2,}\b|\b(Owner|RSS|Atom|JSON|HTML|XML|HTTP|https?|English)\b"
    r"|\b(on|off|all|new|add|rm|list|banned|suspect|now|preview)\b"
)


def persian_view(message: FakeMessage) -> str:
    """The visible text without what is meant to stay Latin: <code> (ids to copy), link targets, the above."""
    html = re.sub(r"<code>.*?</code>", "", message.html_or_none or "", flags=re.S)
    text = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return ALLOWED_LATIN.sub("", text)


async def test_persian_answers_have_persian_digits_and_no_english(posted, fake: FakeTelegram, owner: FakeUser) -> None:
    runner, _payload, _post = posted
    reader = FakeUser(fake, "مینا")
    await reader.send("/start")
    await answer(reader)
    await reader.send("/subscribe")
    await reader.press(await answer(reader), "فوری")
    await owner.send("/start")
    await answer(owner)
    await owner.send("/premod off")
    await answer(owner)
    await owner.send(f"/ban {reader.id} 2h")
    await answer(owner)
    await runner.services.feeds.add("http://127.0.0.1:9/feed.xml", None, owner.id)  # nothing listens there
    await runner.services.feeds.pause(1, Text("feed_paused_by_admin")) if await runner.services.feeds.get(1) else None

    commands = {
        owner: ["/help", "/status", "/feeds", "/outbox", "/stats", "/modlog", "/admins", "/queue", "/digest",
                "/digesttimes", "/premod", "/latest", "/search خبر", "/search هیچ‌چیزنیست", "/addfeed ftp://x",
                "/ban", "/mute", "/warn", "/filter", "/del", "/lock", "/addadmin", "/pausefeed", "/post"],
        reader: ["/help", "/latest", "/mysubs", "/name", "/replies", "/language", "/unknown"],
    }  # fmt: skip
    for person, texts in commands.items():
        for text in texts:
            await person.send(text)
            replies = [await answer(person)]
            if text.startswith("/addfeed"):
                replies.append(await answer(person))  # "reading the feed…", then why it was refused
            for shown in [
                part for reply in replies for part in [reply.html_or_none or "", *(b["text"] for b in reply.buttons)]
            ]:
                view = persian_view(FakeMessage(person.chat, 0, 0, None, html_or_none=shown))
                assert not re.search("[0-9]", view), (text, view)
                assert not re.search("[A-Za-z]{2,}", view), (text, view)


async def test_admin_notices_are_written_in_each_admins_language(start_bot, fake: FakeTelegram) -> None:
    runner = await start_bot(OWNER_IDS=f"{OWNER_ID},{OWNER_ID + 1}")
    english, persian = (
        FakeUser(fake, "Kate", user_id=OWNER_ID, language_code="en"),
        FakeUser(fake, "مهسا", user_id=OWNER_ID + 1),
    )
    for admin in (english, persian):
        await admin.send("/start")
        await answer(admin)
    reason = Text("feed_error_http", {"status": 502})
    await runner.services.notifier.notify_admins("feed_paused_notice", feed="ایسنا", id=Id(4), reason=reason)
    assert "Feed “\u2067ایسنا\u2069” (id 4) was paused" in (notice := (await answer(english)).text)
    assert "Reason: the server answered HTTP 502" in notice
    assert "خوراک «ایسنا» (شناسه ۴)" in (notice := (await answer(persian)).text) and "سرور پاسخ HTTP ۵۰۲ داد" in notice
