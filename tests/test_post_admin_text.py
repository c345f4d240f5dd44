"""/post: what an admin types is theirs, and a forwarded post names where it came from, end to end."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.app import BotRunner
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_news import channel_posts

# An article of our own, written the way agencies write: no attribution line, a headline, three paragraphs.
ARTICLE = "\n".join(
    (
        "بازگشایی کتابخانه مرکزی شهر پس از دو سال مرمت",
        "کتابخانه مرکزی شهر پس از دو سال مرمت از شنبه آینده دوباره به روی مراجعان باز می‌شود.",
        "مدیر کتابخانه گفت که در این مدت سقف تالار اصلی بازسازی شده و سامانه گرمایش تازه نصب شده است.",
        "به گفته او ساعت کار کتابخانه در روزهای پنجشنبه تا ساعت بیست شب افزایش می‌یابد.",
    )
)


async def post_draft(admin: FakeUser, send: Callable[[], Awaitable[FakeMessage]]) -> FakeMessage:
    await admin.send("/start")
    await admin.next_message()
    await admin.send("/post")
    await admin.next_message()
    await send()
    return await admin.next_message()


async def test_an_admins_own_title_and_summary_are_published_as_typed_only_trimmed_and_escaped(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    preview = await post_draft(owner, lambda: owner.send(ARTICLE))
    # What hazm would rewrite: the hamza of `هٔ`, Latin digits, an Arabic yeh, spacing around «».
    title = "برنامهٔ تازهٔ کتابخانه برای سال 1404 <ویژه>"
    summary = "خلاصهٔ دبیر:  كتابخانه « مرکزی » از شنبه باز است & رایگان."
    await owner.press(preview, "ویرایش تیتر")
    await owner.next_message()
    await owner.send(f"   {title.replace(' ', '  ')}  ")
    await owner.next_message()
    edited = owner.received()[-1]
    await owner.press(edited, "ویرایش خلاصه")
    await owner.next_message()
    await owner.send(f"\n  {summary}  \n")
    edited = await owner.next_message()

    escaped_title = "برنامهٔ تازهٔ کتابخانه برای سال 1404 &lt;ویژه&gt;"
    escaped_summary = "خلاصهٔ دبیر:  كتابخانه « مرکزی » از شنبه باز است &amp; رایگان."
    assert edited.html.startswith(f"<b>{escaped_title}</b>\n\n{escaped_summary}")
    await owner.press(edited, "انتشار")
    assert "در صف انتشار" in (await owner.next_message()).text
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    assert post.html.startswith(f"<b>{escaped_title}</b>\n\n{escaped_summary}")
    with sqlite3.connect(Path(runner.settings.database_path)) as db:
        assert db.execute("SELECT title, summary FROM articles").fetchone() == (title, summary)


async def test_a_forwarded_channel_post_without_attribution_names_the_channel_as_source(
    start_bot, fake: FakeTelegram, owner: FakeUser
) -> None:
    await start_bot(CHANNEL_ID=CHANNEL)
    fake.add_channel(-1002000, "city_news", "  خبرهای   شهر ما ")
    origin = fake.chats[-1002000]
    preview = await post_draft(owner, lambda: owner.forward(ARTICLE, origin))
    assert "منبع: خبرهای شهر ما" in preview.text


async def test_a_forwarded_post_that_names_its_agency_keeps_the_agency_and_hidden_senders_are_named(
    start_bot, fake: FakeTelegram, owner: FakeUser
) -> None:
    await start_bot(CHANNEL_ID=CHANNEL)
    origin = fake.add_channel(-1002001, None, "بازنشر خبر")
    lines = ARTICLE.split("\n")
    attributed = "\n".join([lines[0], "به گزارش خبرنگار فرهنگی خبرگزاری ایسنا، " + lines[1], *lines[2:]])
    preview = await post_draft(owner, lambda: owner.forward(attributed, origin))
    assert "منبع: ایسنا" in preview.text and "بازنشر" not in preview.text

    await owner.send("/post")
    await owner.next_message()
    await owner.forward(ARTICLE.replace("دو سال", "سه سال"), "پیمان ر.")
    assert "منبع: پیمان ر." in (await owner.next_message()).text
