"""A new installation's first day, driven through the fake Telegram: what an admin and a reader meet."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram.ext import CommandHandler

from bot import config
from bot.app import BotRunner
from bot.news import publisher as publisher_module
from bot.news.publisher import Story
from bot.render.post import CAPTION_LIMIT, PostContent, render_post
from tests.conftest import CHANNEL, OWNER_ID, TOKEN
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.feed_server import fixture_articles
from tests.test_discussion import comment, comment_id, on_comment, open_discussion
from tests.test_news import channel_posts

GROUP_ID = -1002000


async def test_a_press_handled_after_telegrams_answer_window_still_works(
    start_bot: Callable[..., Any], posted: tuple[BotRunner, str, FakeMessage], fake: FakeTelegram, owner: FakeUser
) -> None:
    """A reader votes while the bot is down (a restart, an upgrade): when the bot is back, Telegram no longer
    takes an answer to that press, but the vote still counts and the page is redrawn, with no error message."""
    runner, payload, _ = posted
    await owner.send("/start")
    await owner.next_message()
    author, voter = FakeUser(fake, "نویسنده"), FakeUser(fake, "رأی‌دهنده")
    await comment(author, await open_discussion(author, payload), "نوشتن نظر", "نظر نخست")
    page = await open_discussion(voter, payload)
    await on_comment(voter, page, comment_id(runner, "نظر نخست"), "👍")
    await fake.wait_for(lambda: page.button("👍")["text"] == "👍 ۱")

    fake.callback_answer_window = 1.0
    await runner.stop()
    await voter.press(page, "👎")
    await asyncio.sleep(1.2)  # the press waits for the bot longer than Telegram waits for its answer
    fake.allow_errors("query is too old")
    await start_bot(CHANNEL_ID=CHANNEL)
    await fake.wait_for(lambda: page.button("👎")["text"] == "👎 ۱" and page.button("👍")["text"] == "👍 ۰", 10)
    await voter.send("/help")  # handled after the press: when it is answered, the press was handled
    assert "/language" in (await voter.next_message()).text
    assert not [m for m in voter.received() if "خطایی پیش آمد" in (m.text or "")]
    assert not [m for m in owner.received() if "⚠️" in (m.text or "")]


def test_every_setting_is_documented_in_env_example_and_explained_when_wrong() -> None:
    """An operator setting up from .env.example finds every name bot/config.py reads, and a wrong value is
    answered with what it should be; no module constant of bot/config.py looks like a setting."""
    names = {str(field.alias) for field in config.Settings.model_fields.values()}
    example = (Path(__file__).parent.parent / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert names - listed == set(), "settings missing from .env.example"
    assert listed - names == set(), ".env.example names no setting"
    assert names - set(config.EXPECTED) == set(), "settings without an explanation for a wrong value"
    constants = {name for name in vars(config) if re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}
    assert constants - {"EXPECTED"} == set(), "public constants a reader may take for settings"


def test_a_copied_env_example_gives_the_documented_defaults() -> None:
    """README: copy .env.example to .env and set BOT_TOKEN; every other line then means its default."""
    example = Path(__file__).parent.parent / ".env.example"
    copied = config.load(config.Settings, _env_file=example, BOT_TOKEN=TOKEN)
    defaults = config.load(config.Settings, _env_file=None, BOT_TOKEN=TOKEN)
    assert copied.model_dump() == defaults.model_dump()


async def test_photos_and_polls_in_a_post_thread_are_comments_under_the_rules_comments_keep(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser, monkeypatch: Any
) -> None:
    """A reader in the discussion group answers a post with a photo or a poll instead of text: it is a comment of
    the story (stored with its kind and caption, counted on the channel button, shown on the bot's page with its
    mark), and a banned word in its caption or question, or a locked discussion, takes it out of the group as it
    takes out a text comment."""
    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 1.0)
    command = "/filter add banned کلمهبد"
    runner, group, post, root, database, answer = await post_in_group(start_bot, fake, channel, owner, command)
    assert "کلمهبد" in answer

    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "سارا")
    banned = await in_thread(fake, ali, group, root, caption_or_none="عکس با کلمهبد", photo=True)
    clean = await in_thread(fake, sara, group, root, caption_or_none="عکس از محل حادثه", photo=True)
    poll = await in_thread(fake, ali, group, root, extra={"poll": poll_json("نظرسنجی کلمهبد")})
    asked = await in_thread(fake, sara, group, root, extra={"poll": poll_json("مقصر کیست؟")})
    await fake.wait_for(lambda: banned.deleted and poll.deleted, 10)
    assert not clean.deleted and not asked.deleted
    filtered = "SELECT target_id, reason FROM audit_log WHERE action = 'filtered'"
    await fake.wait_for(lambda: len(database.execute(filtered).fetchall()) == 2)
    assert database.execute(filtered).fetchall() == [(str(ali.id), "کلمهبد")] * 2
    stored = "SELECT author_name, media_kind, media_file_id, text, status FROM comments ORDER BY id"
    await fake.wait_for(lambda: len(database.execute(stored).fetchall()) == 2, 10)
    assert database.execute(stored).fetchall() == [
        ("سارا", "photo", f"photo{clean.message_id}", "🖼 عکس از محل حادثه", "published"),
        ("سارا", "poll", None, "📊 مقصر کیست؟\n• بله\n• نه", "published"),
    ]
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۲)", 10)

    # A caption edited in the group: the comment follows.
    clean.caption_or_none = "عکس از محل حادثه، پس از آتش‌نشانی"
    clean.edits += 1
    await fake.deliver("edited_message", clean.to_json(fake))
    edited = "SELECT text FROM comments WHERE media_kind = 'photo'"
    await fake.wait_for(lambda: database.execute(edited).fetchone() == ("🖼 عکس از محل حادثه، پس از آتش‌نشانی",))

    await owner.send(f"/lock {database.execute('SELECT id FROM articles').fetchone()[0]}")
    assert "بسته شد" in (await owner.next_message()).text
    locked = await in_thread(fake, sara, group, root, extra={"poll": poll_json("نظرسنجی دیگر")})
    await fake.wait_for(lambda: locked.deleted, 10)
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (2,)

    # After a restart the bot's page shows them, with their marks.
    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    reader = FakeUser(fake, "خواننده")
    page = await open_discussion(reader, post.button("نظرات")["url"].split("start=")[1])
    assert "🖼 عکس از محل حادثه، پس از آتش‌نشانی" in page.text and "📊 مقصر کیست؟" in page.text
    assert "نظرات (۲)" in page.text


async def test_a_held_photo_waits_for_review_and_comes_back_as_a_photo(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """A new installation with premoderation on: a photo with an offensive caption in a post's thread leaves the
    group and waits in the review queue with its caption, like a text comment; rejected, it never shows. A clean
    one, approved, is posted back by the bot as the photo it was, and counted."""
    runner, group, post, root, database, answer = await post_in_group(start_bot, fake, channel, owner, "/premod all")
    assert "همهٔ نظرها" in answer

    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "سارا")
    rude = await in_thread(fake, ali, group, root, caption_or_none="این عکس توهین‌آمیز است", photo=True)
    kind = await in_thread(fake, sara, group, root, caption_or_none="عکس از محل حادثه", photo=True)
    await fake.wait_for(lambda: rude.deleted and kind.deleted, 10)
    held = "SELECT media_kind, text, status, hold_reason FROM comments ORDER BY id"
    await fake.wait_for(lambda: len(database.execute(held).fetchall()) == 2)
    assert database.execute(held).fetchall() == [
        ("photo", "🖼 این عکس توهین‌آمیز است", "pending", "premod"),
        ("photo", "🖼 عکس از محل حادثه", "pending", "premod"),
    ]
    # Each writer is told their message waits for review.
    await fake.wait_for(lambda: len([m for m in fake.history(group.id, from_bot=True) if "بررسی" in m.text]) == 2, 10)

    await runner.stop()  # the queue is kept across a restart
    await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    rude_id, kind_id = (row[0] for row in database.execute("SELECT id FROM comments ORDER BY id"))
    await owner.send("/queue")
    queue = await owner.next_message()
    assert "🖼 این عکس توهین‌آمیز است" in queue.text and "🖼 عکس از محل حادثه" in queue.text
    await owner.send(f"/reject {rude_id} توهین")
    await owner.next_message()
    await owner.send(f"/approve {kind_id}")
    await owner.next_message()
    photo = await fake.wait_for(lambda: [m for m in fake.history(group.id, from_bot=True) if m.photo])
    assert len(photo) == 1 and photo[0].caption_or_none == "💬 سارا:\nعکس از محل حادثه"
    assert photo[0].reply_to == root.message_id
    assert database.execute(held).fetchall()[1][2] == "published"
    assert database.execute(held).fetchall()[0][2] == "rejected"
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۱)", 10)


async def test_an_album_in_a_post_thread_is_one_comment_held_as_one(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """Telegram sends an album of photos as one message per photo, the caption on the first: it is one comment,
    and with premoderation on the whole album leaves the group with one notice; a banned caption takes the whole
    album out."""
    command = "/filter add banned کلمهبد"
    _, group, _, root, database, _ = await post_in_group(start_bot, fake, channel, owner, command)

    async def album(user: FakeUser, name: str, caption: str) -> list[FakeMessage]:
        photos = [await in_thread(fake, user, group, root, caption_or_none=caption if i == 0 else None, photo=True,
                                  extra={"media_group_id": name}) for i in range(3)]  # fmt: skip
        await fake.wait_for(lambda: database.execute("SELECT count(*) FROM inbox WHERE state = 'pending'").fetchone()
                            == (0,), 10)  # fmt: skip
        return photos

    ali, sara, reza = FakeUser(fake, "علی"), FakeUser(fake, "سارا"), FakeUser(fake, "رضا")
    shown = await album(ali, "album-1", "سه عکس از محل")
    banned = await album(sara, "album-2", "عکس‌های کلمهبد")
    await fake.wait_for(lambda: all(m.deleted for m in banned), 10)
    assert not any(m.deleted for m in shown)
    await owner.send("/premod all")
    await owner.next_message()
    held = await album(reza, "album-3", "عکس‌هایی برای بررسی")
    await fake.wait_for(lambda: all(m.deleted for m in held), 10)
    stored = "SELECT author_name, text, status FROM comments ORDER BY id"
    assert database.execute(stored).fetchall() == [
        ("علی", "🖼🖼🖼 سه عکس از محل", "published"),
        ("رضا", "🖼🖼🖼 عکس‌هایی برای بررسی", "pending"),
    ]
    await fake.wait_for(lambda: [m for m in fake.history(group.id, from_bot=True) if "بررسی" in m.text], 10)
    await owner.send("/help")
    await owner.next_message()
    assert len([m for m in fake.history(group.id, from_bot=True) if "بررسی" in m.text]) == 1


async def post_in_group(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser, command: str
) -> tuple[BotRunner, FakeChat, FakeMessage, FakeMessage, sqlite3.Connection, str]:
    """A new installation whose channel has a discussion group: the owner sends /start and `command`, then a
    story is posted. The bot, the group, the channel post, its copy in the group (the thread's root), the
    database and the bot's answer to `command`."""
    group = fake.add_group(GROUP_ID, "گفت‌وگوی کانال", linked_channel=channel.id)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await owner.send("/start")
    await owner.next_message()
    await owner.send(command)
    answer = (await owner.next_message()).text
    article = fixture_articles()[0]
    await runner.services.publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    root = await fake.wait_for(lambda: fake.history(group.id)[:1] and fake.history(group.id)[0], 10)
    database = sqlite3.connect(runner.settings.database_path)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM group_threads").fetchone() == (1,))
    return runner, group, post, root, database, answer


async def in_thread(
    fake: FakeTelegram, user: FakeUser, group: FakeChat, root: FakeMessage, **content: Any
) -> FakeMessage:
    """A message without text (a photo, a poll) in the thread of a channel post's copy in the group."""
    message = fake.store(
        FakeMessage(
            chat=group,
            message_id=fake.next_message_id(group.id),
            date=int(time.time()),
            sender=user.json,
            reply_to=root.message_id,
            thread_id=root.message_id,
            **content,
        )
    )
    await fake.deliver("message", message.to_json(fake))
    return message


def poll_json(question: str) -> dict[str, Any]:
    return {
        "id": f"poll-{question}",
        "question": question,
        "options": [
            {"persistent_id": "1", "text": "بله", "voter_count": 0},
            {"persistent_id": "2", "text": "نه", "voter_count": 0},
        ],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }


async def test_an_english_reader_is_pointed_to_the_button_the_channel_shows(
    posted: tuple[BotRunner, str, FakeMessage], fake: FakeTelegram
) -> None:
    """The channel speaks the bot's language (Persian here): its posts carry «💬 نظرات (N)». A reader whose
    Telegram is in English is told, in English, to press that button, under the name the post shows."""
    _, _, post = posted
    shown = post.button("نظرات")["text"].split(" (")[0]
    assert shown == "💬 نظرات"
    john = FakeUser(fake, "John", language_code="en")
    for command in ("/start", "/help", "hello, any news?"):
        await john.send(command)
        answer = (await john.next_message()).text
        assert f"“\u2067{shown}\u2069”" in answer, (command, answer)  # a right-to-left run in an English line
        assert "Comments”" not in answer
    maryam = FakeUser(fake, "مریم")
    await maryam.send("/help")
    assert f"«{shown}»" in (await maryam.next_message()).text


async def test_a_new_admin_finds_every_command_the_bot_answers_in_the_menu(
    start_bot: Callable[..., Any], fake: FakeTelegram, owner: FakeUser
) -> None:
    """The menu Telegram shows an admin lists each command the bot handles, /approve, /reject and /hide
    included, with a description in each language."""
    runner = await start_bot()
    await owner.send("/start")
    await owner.next_message()
    await fake.wait_for(lambda: ("chat", str(OWNER_ID), "en") in fake.commands)
    handled = {name for handlers in runner.app.handlers.values() for handler in handlers
               if isinstance(handler, CommandHandler) for name in handler.commands}  # fmt: skip
    for language in ("", "en"):
        menu = {c["command"]: c["description"] for c in fake.commands[("chat", str(OWNER_ID), language)]}
        assert handled - menu.keys() == set(), language
        assert {"approve", "reject", "hide"} <= menu.keys()
        assert menu["approve"] != menu["reject"] != menu["hide"]


async def test_a_bot_added_to_a_group_as_a_plain_member_says_it_needs_admin_rights(
    bot: BotRunner, fake: FakeTelegram, owner: FakeUser
) -> None:
    """README step 4 asks for an administrator; an admin who adds the bot as a plain member (Telegram's usual
    way: add, promote later) is told at once what it cannot do as one, not at the first comment it fails to
    take down."""
    await owner.send("/start")
    await owner.next_message()
    plain = fake.add_group(-1005550001, "گروه")
    plain.bot_status = "left"
    await fake.add_bot(plain, owner.json, status="member")
    said = (await fake.wait_for(lambda: fake.history(plain.id, from_bot=True)))[0].text
    assert "-1005550001" in said and "مدیر" in said and "حذف پیام" in said
    promoted = fake.add_group(-1005550002, "گروه دیگر")
    promoted.bot_status = "left"
    await fake.add_bot(promoted, owner.json, status="administrator")
    said = (await fake.wait_for(lambda: fake.history(promoted.id, from_bot=True)))[0].text
    assert "-1005550002" in said and "حذف پیام" not in said


async def test_subscribe_fits_telegrams_keyboard_whatever_the_number_of_feeds(
    start_bot: Callable[..., Any], fake: FakeTelegram, user: FakeUser
) -> None:
    """An installation with many feeds (a hundred outlets): /subscribe still shows the settings, within
    Telegram's 100 buttons, and the sources a reader chose stay on it."""
    runner = await start_bot()
    database = sqlite3.connect(runner.settings.database_path)
    with database:
        database.executemany(
            "INSERT INTO feeds (url, name, added_at, next_check_at) VALUES (?, ?, ?, ?)",
            [(f"https://news{i}.example.ir/rss", f"خبرگزاری {i}", int(time.time()), 1e12) for i in range(1, 121)],
        )
    await user.send("/subscribe")
    settings = await user.next_message()
    assert len(settings.buttons) <= 100
    await user.press(settings, "خبرگزاری 1", index=0)
    await fake.wait_for(lambda: "خبرگزاری 1 ✓" in str(settings.buttons))
    chosen = "SELECT count(*) FROM subscription_filters WHERE kind = 'source'"
    await fake.wait_for(lambda: database.execute(chosen).fetchone() == (1,))


async def test_feeds_lists_every_feed_however_many_fail(
    start_bot: Callable[..., Any], fake: FakeTelegram, owner: FakeUser
) -> None:
    """An admin who seeded a hundred feeds on a day their host was unreachable asks /feeds: every feed is
    listed with its error, in as many messages as Telegram's 4,096 characters need."""
    runner = await start_bot()
    await owner.send("/start")
    await owner.next_message()
    database = sqlite3.connect(runner.settings.database_path)
    error = "Cannot connect to host news.example.ir:443 ssl:default [Temporary failure in name resolution]"
    with database:
        database.executemany(
            "INSERT INTO feeds (url, name, added_at, next_check_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?)",
            [(f"https://news{i}.example.ir/rss", f"خوراک{i}", int(time.time()), 1e12, 3, error) for i in range(150)],
        )
    await owner.send("/feeds")
    seen: list[int] = []
    while len(seen) < 150:  # the next message, until all are there (a missing one times out)
        text = (await owner.next_message()).text
        numbers = re.findall(r"خوراک(\d+) ", text)
        assert text.count("Temporary failure") == len(numbers)  # each with its error
        seen += [int(n) for n in numbers]
    assert sorted(seen) == list(range(150))


async def test_filter_list_shows_a_long_imported_word_list(
    start_bot: Callable[..., Any], fake: FakeTelegram, owner: FakeUser
) -> None:
    """An admin who loaded a few hundred banned phrases asks /filter list: all of them come, in as many
    messages as Telegram's 4,096 characters need."""
    runner = await start_bot()
    await owner.send("/start")
    await owner.next_message()
    database = sqlite3.connect(runner.settings.database_path)
    phrases = [f"عبارت ممنوع شمارهٔ {i} در فهرست" for i in range(300)]
    with database:
        database.executemany(
            "INSERT INTO word_filters (kind, phrase, folded, added_by, added_at) VALUES ('banned', ?, ?, ?, ?)",
            [(phrase, f"folded{i}", OWNER_ID, int(time.time())) for i, phrase in enumerate(phrases)],
        )
    await owner.send("/filter list")
    missing = set(phrases)
    while missing:  # the next message, until all are there (a missing one times out)
        text = (await owner.next_message()).text
        missing -= {phrase for phrase in missing if phrase in text}


async def test_modlog_with_its_largest_count_is_answered(
    start_bot: Callable[..., Any], fake: FakeTelegram, owner: FakeUser
) -> None:
    """/modlog 200 (the most it takes) after a busy day: every entry comes, in messages Telegram accepts."""
    runner = await start_bot()
    await owner.send("/start")
    await owner.next_message()
    database = sqlite3.connect(runner.settings.database_path)
    now = int(time.time())
    with database:
        database.executemany(
            "INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, created_at)"
            " VALUES (?, 'ban', 'user', ?, ?, ?)",
            [(OWNER_ID, str(700000 + i), f"تبلیغ و هرزنامه در گفت‌وگو، بار {i}", now - i) for i in range(200)],
        )
    await owner.send("/modlog ۲۰۰")
    seen: list[int] = []
    while len(seen) < 200:  # the next message, until all are there (a missing one times out)
        seen += [int(n) for n in re.findall(r"بار (\d+)", (await owner.next_message()).text)]
    assert sorted(seen) == list(range(200))


async def test_a_title_too_long_for_a_post_is_refused_with_the_reason(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """/post with a forwarded photo post → ✏️ title, and the admin pastes a paragraph instead of a headline: the
    bot says how long a title may be and keeps waiting for one (the preview's caption, over Telegram's 1,024
    characters, used to be refused: 'an error occurred')."""
    await start_bot(CHANNEL_ID=CHANNEL)
    await owner.send("/start")
    await owner.next_message()
    article = fixture_articles()[0]
    await owner.send("/post")
    await owner.next_message()
    elsewhere = fake.add_channel(-1007770001, "elsewhere", "کانال دیگر")
    await owner.send_photo(article["title"] + "\n" + article["text"].replace(" [n] ", "\n"), forwarded_from=elsewhere)
    preview = await owner.next_message()
    assert preview.photo
    await owner.press(preview, "ویرایش تیتر")
    assert "تیتر تازه" in (await owner.next_message()).text
    await owner.send("تیتر " * 250)
    refused = await owner.next_message()
    assert "تیتر" in refused.text and "۲۵۰" in refused.text and "خطایی" not in refused.text
    await owner.send("تیتر کوتاه و درست")
    edited = await owner.next_message()
    assert edited.html.startswith("<b>تیتر کوتاه و درست</b>")


def test_a_title_past_the_limit_never_stalls_the_renderer() -> None:
    """A post whose title alone is past the limit (a feed item whose <title> holds the article, with a photo)
    is rendered at once, without a summary; the summary was cut to a bare ellipsis for ever, holding the event
    loop and every chat with it."""
    post = PostContent(title="تیتر " * 250, summary="خلاصهٔ کوتاه. و جملهٔ دوم آن.", source="ایرنا")
    rendered: list[str] = []
    worker = threading.Thread(target=lambda: rendered.append(render_post(post, "fa", limit=CAPTION_LIMIT)), daemon=True)
    worker.start()
    worker.join(5)
    assert rendered, "render_post did not return"
    assert "خلاصه" not in rendered[0] and "تیتر" in rendered[0]


async def test_a_pasted_article_without_a_headline_fits_a_photo_caption_and_a_post(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """An admin pastes an article whose first line is a whole paragraph (no headline), as a photo's caption or as
    text: the preview is the post Telegram accepts (a caption within 1,024 characters, a text within 4,096),
    headed by the paragraph's first sentence, which stays in the article; published, the channel shows it."""
    await start_bot(CHANNEL_ID=CHANNEL)
    await owner.send("/start")
    await owner.next_message()
    paragraph = " ".join(fixture_articles()[0]["text"].split(" [n] "))
    caption = paragraph[: paragraph.rindex(".", 0, 1000) + 1]
    await owner.send("/post")
    await owner.next_message()
    elsewhere = fake.add_channel(-1007770001, "elsewhere", "کانال دیگر")
    await owner.send_photo(caption, forwarded_from=elsewhere)
    preview = await owner.next_message()
    assert preview.photo, preview.describe()
    assert len(preview.caption_or_none or "") <= CAPTION_LIMIT
    headline = preview.html.split("</b>")[0].removeprefix("<b>")
    assert 20 < len(headline) <= 250 and caption.startswith(headline.rstrip("…"))
    await owner.press(preview, "انتشار")
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    assert post.photo and post.html.startswith(f"<b>{headline}</b>")

    long_text = (paragraph + " ") * (4000 // len(paragraph) + 1)
    await owner.send("/post")
    while "متن خبر را بفرستید" not in (await owner.next_message()).text:
        pass  # the publication's confirmation came first
    await owner.send(long_text[:4000] + "\nپاراگراف دوم خبر که پس از آن می‌آید و جملهٔ کاملی است.")
    text_preview = await owner.next_message()
    assert "خطایی" not in text_preview.text and len(text_preview.text) <= 4096
    assert text_preview.html.startswith("<b>") and len(text_preview.html.split("</b>")[0]) <= 260
