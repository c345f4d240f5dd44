"""Stories across agencies, end to end: one channel post per event, edited with its other sources; different
events on one topic stay apart; admins merge and split; the clusters survive a restart."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import pytest

from bot.app import BotRunner
from bot.news import publisher as publisher_module
from bot.news.evaluate_stories import REPORTS, evaluate_pairs
from bot.news.publisher import Story
from bot.news.stories import THRESHOLD, SignalExtractor, StoryIndex, facts_of, score
from bot.texts import t
from tests import test_news
from tests.conftest import CHANNEL, services_of
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.feed_server import FeedServer, rss
from tests.test_discussion import comment, comment_id, open_comment, open_discussion
from tests.test_news import channel_posts, db, hello

REPORT_LIST = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def reports(event: str) -> list[dict[str, Any]]:
    return [report for report in REPORT_LIST if report["event"] == event]


feed_server = test_news.feed_server  # the local feed server fixture


def feed_item(report: dict[str, Any], server: FeedServer, number: int) -> dict[str, Any]:
    # The link is on the feed server (a 404): a short item's page is fetched, and must fail fast.
    link = server.url(f"/page/{report['event']}/{number}")
    return {"title": report["title"], "text": report["lead"], "link": link, "guid": f"{report['event']}-{number}",
            "published": int(time.time()) + 5}  # fmt: skip


@pytest.fixture
def fast_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publisher_module, "STORY_EDIT_INTERVAL", 1.0)
    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 1.0)


def story_state(runner: BotRunner) -> list[tuple[str, str, int | None]]:
    return db(runner).execute("SELECT title, state, duplicate_of FROM articles ORDER BY id").fetchall()


# ----- the scorer ------------------------------------------------------------------------------------------------
def test_the_scorer_meets_its_targets_on_our_labelled_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    precision, recall = evaluate_pairs(REPORTS, THRESHOLD)
    assert precision >= 0.95 and recall >= 0.6, capsys.readouterr().out


def test_numbers_keep_their_units_whatever_the_spelling() -> None:
    facts = facts_of("زلزله ۵/۲ ریشتری ساعت ۳ و ۱۴ دقیقه بامداد؛ ۱۸ نفر مجروح و دو کشته. پرسپولیس ۲ بر ۱ سپاهان")
    assert {"5.2|mag", "3:14|clock", "18|hurt", "2|dead", "1-2|score"} <= facts
    assert facts_of("زلزله 5.2 ریشتری ساعت 03:14") >= {"5.2|mag", "3:14|clock"}
    assert "1404|n" not in facts_of("در سال ۱۴۰۴ و تاریخ ۱۴۰۴/۰۶/۱۴")


def test_a_quake_of_another_magnitude_in_the_same_town_is_another_story() -> None:
    extractor = SignalExtractor()
    index = StoryIndex()
    main, aftershock = reports("q-sisakht-main"), reports("q-sisakht-after")
    signals = [extractor.extract(r["title"], r["lead"], int(r["hours"] * 3600), None, r["source"])
               for r in (*main, *aftershock)]  # fmt: skip
    index.add(1, 1, signals[0])
    assert index.best(signals[1]) is not None and index.best(signals[1]).story_id == 1  # type: ignore[union-attr]
    assert index.best(signals[len(main)]) is None  # 4.1 after 5.2: the shared town and words do not merge them
    assert score(signals[0], signals[len(main)], index.rarity).value < index.threshold


# ----- end to end -------------------------------------------------------------------------------------------------
@pytest.fixture
async def news_bot(start_bot, channel: FakeChat) -> BotRunner:
    return await start_bot(CHANNEL_ID=CHANNEL, FEED_POLL_SECONDS="0.2", ALLOW_PRIVATE_FEEDS="true")


async def add_feeds(runner: BotRunner, server: FeedServer, names: list[str], admin: FakeUser) -> list[str]:
    paths = []
    for number, name in enumerate(names):
        path = f"/feed{number}.xml"
        url = server.serve(path, rss([]))
        feed, error = await services_of(runner).feeds.add(url, name, admin.id)
        assert feed is not None, error
        paths.append(path)
    return paths


async def test_an_event_three_agencies_report_is_one_post_edited_with_its_sources(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, owner: FakeUser, user: FakeUser,
    feed_server: FeedServer, fast_edits: None,
) -> None:  # fmt: skip
    await hello(owner)
    await hello(user)
    await services_of(news_bot).subscriptions.repo.set_mode(user.id, "instant", int(time.time()))
    bus = reports("a-semirom-bus")
    paths = await add_feeds(news_bot, feed_server, [r["source"] for r in bus], owner)
    items = [feed_item(report, feed_server, n) for n, report in enumerate(bus)]
    feed_server.serve(paths[0], rss([items[0]]))
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    await fake.wait_for(lambda: story_state(news_bot)[0][1] == "posted", 10)
    for number, (path, item) in enumerate(zip(paths[1:], items[1:], strict=True), 1):
        feed_server.serve(path, rss([item]))
        await fake.wait_for(lambda n=number: len(story_state(news_bot)) == n + 1, 10)  # type: ignore[misc]
    also = "همچنین: ایسنا، همشهری آنلاین"
    await fake.wait_for(lambda: also in (post.text_or_none or ""), 15)
    assert len(channel_posts(fake, channel)) == 1
    assert [state for _, state, _ in story_state(news_bot)] == ["posted", "duplicate", "duplicate"]
    for item in items[1:]:  # each outlet links to its own report
        assert f'<a href="{item["link"]}">' in post.html
    assert post.text.startswith(bus[0]["title"]) and post.button("نظرات")["text"] == "💬 نظرات (۰)"

    # A comment's count edit builds the same full post: the sources line stays, the count changes.
    article_id = db(news_bot).execute("SELECT id FROM articles WHERE state = 'posted'").fetchone()[0]
    await services_of(news_bot).publisher.update_comment_count(article_id, 1)
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۱)", 5)
    assert also in post.text
    # One alert per story, not per report.
    alerts = [m for m in fake.history(user.id, from_bot=True) if bus[0]["title"] in (m.text_or_none or "")]
    assert len(alerts) == 1 and not any(r["title"] in (m.text_or_none or "") for r in bus[1:] for m in alerts)

    # The discussion page shows the sources and the timeline.
    page = await open_discussion(user, post.button("نظرات")["url"].split("start=")[1])
    assert "📰 منابع: ایرنا، ایسنا، همشهری آنلاین" in page.text
    assert "روند خبر" in page.text and all(r["title"][:30] in page.text for r in bus)
    assert "شمارهٔ خبر" not in page.text  # readers do not see the numbers admins use
    await user.send("/latest")  # one line for the story, with how many outlets reported it
    latest = await user.next_message()
    assert latest.text.count(bus[0]["title"]) == 1 and "۳ منبع" in latest.text
    assert not any(r["title"] in latest.text for r in bus[1:])
    assert len(fake.calls_of("editMessageText")) <= 3


async def test_two_events_on_one_topic_in_one_town_are_two_posts(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, owner: FakeUser, feed_server: FeedServer
) -> None:
    await hello(owner)
    fires = reports("a-bazaar-fire")[:1] + reports("a-shahrak-fire")[:1]  # two fires in Tehran, hours apart
    quakes = reports("q-sisakht-main")[:1] + reports("q-sisakht-after")[:1]  # a quake and its aftershock
    paths = await add_feeds(news_bot, feed_server, ["ایسنا", "مهر"], owner)
    feed_server.serve(paths[0], rss([feed_item(fires[0], feed_server, 0), feed_item(quakes[0], feed_server, 1)]))
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 2, 10)
    feed_server.serve(paths[1], rss([feed_item(fires[1], feed_server, 2), feed_item(quakes[1], feed_server, 3)]))
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 4, 10)
    await fake.wait_for(lambda: {state for _, state, _ in story_state(news_bot)} == {"posted"}, 10)
    assert not any("همچنین" in (post.text_or_none or "") for post in channel_posts(fake, channel))


async def post_report(runner: BotRunner, fake: FakeTelegram, channel: FakeChat, report: dict[str, Any]) -> int:
    before = len(channel_posts(fake, channel))
    outcome = await services_of(runner).publisher.ingest(
        Story(report["title"], report["lead"], source=report["source"], url=f"https://{len(report['title'])}.ir/x")
    )
    assert outcome.state == "queued"
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == before + 1, 10)
    await fake.wait_for(
        lambda: (
            db(runner).execute("SELECT state FROM articles WHERE id = ?", (outcome.article_id,)).fetchone()
            == ("posted",)
        ),
        10,
    )
    assert outcome.article_id is not None
    return outcome.article_id


async def test_admins_merge_two_posts_of_one_event_and_split_a_report_out(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser, user: FakeUser, fast_edits: None
) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    await hello(owner)
    await hello(user)
    # The machine missed these two (a late report under another angle): an admin joins them.
    first = await post_report(runner, fake, channel, reports("q-khoy")[0])
    second = await post_report(runner, fake, channel, {**reports("f-team-melli-list")[0], "source": "مهر"})
    posts = channel_posts(fake, channel)
    await comment(user, await open_discussion(user, posts[1].button("نظرات")["url"].split("start=")[1]),
                  "نوشتن نظر", "نظری روی پست دوم")  # fmt: skip
    await fake.wait_for(lambda: posts[1].button("نظرات")["text"] == "💬 نظرات (۱)", 10)

    await user.send(f"/merge {first} {second}")
    assert (await user.next_message()).text == str(t("fa", "not_allowed"))  # readers are refused on the server
    assert db(runner).execute("SELECT state FROM articles WHERE id = ?", (second,)).fetchone() == ("posted",)

    await owner.send(f"/merge ۱۲۳۴ {second}")
    assert "پیدا نشد" in (await owner.next_message()).text
    await owner.send(f"/merge {first} {first}")
    assert "یک خبرند" in (await owner.next_message()).text
    await owner.send(f"/merge #{first} {second}")
    assert "پیوست" in (await owner.next_message()).text
    assert db(runner).execute("SELECT article_id FROM comments").fetchall() == [(first,)]
    await fake.wait_for(lambda: posts[0].button("نظرات")["text"] == "💬 نظرات (۱)", 10)
    await fake.wait_for(lambda: "همچنین: مهر" in (posts[0].text_or_none or ""), 10)
    await fake.wait_for(lambda: "پیوست" in (posts[1].text_or_none or ""), 10)
    assert not posts[1].buttons  # the merged post points to the story; its discussion moved there
    page = await open_discussion(owner, posts[0].button("نظرات")["url"].split("start=")[1])
    assert "نظری روی پست دوم" in page.text and "شمارهٔ خبر" in page.text
    # Written on the merged story: a reply to the moved comment, and a comment of its own.
    moved = comment_id(runner, "نظری روی پست دوم")
    await open_comment(owner, page, moved)
    await comment(owner, page, "پاسخ", "پاسخی پس از یکی شدن")
    await comment(owner, await open_discussion(owner, posts[0].button("نظرات")["url"].split("start=")[1]),
                  "نوشتن نظر", "نظری روی خبر اصلی")  # fmt: skip
    await fake.wait_for(lambda: posts[0].button("نظرات")["text"] == "💬 نظرات (۳)", 10)
    log = db(runner).execute("SELECT actor_id, action, target_id FROM audit_log WHERE target_type = 'story'")
    assert log.fetchall() == [(owner.id, "story_merge", f"{first},{second}")]

    await owner.send(f"/split {first}")
    assert "نخستین گزارش" in (await owner.next_message()).text
    await owner.send(f"/split {second}")
    assert "جدا شد" in (await owner.next_message()).text
    await fake.wait_for(lambda: "پیوست" not in (posts[1].text_or_none or "") and posts[1].buttons, 10)
    assert posts[1].text.startswith(reports("f-team-melli-list")[0]["title"])
    await fake.wait_for(lambda: "همچنین" not in (posts[0].text_or_none or ""), 10)
    assert len(channel_posts(fake, channel)) == 2
    # The split story's discussion came back with it (the reply written to it since too), and each post counts
    # its own, after a restart as well.
    by_story = "SELECT text, article_id FROM comments ORDER BY id"
    assert db(runner).execute(by_story).fetchall() == [
        ("نظری روی پست دوم", second),
        ("پاسخی پس از یکی شدن", second),
        ("نظری روی خبر اصلی", first),
    ]
    await fake.wait_for(lambda: posts[1].button("نظرات")["text"] == "💬 نظرات (۲)", 10)
    await fake.wait_for(lambda: posts[0].button("نظرات")["text"] == "💬 نظرات (۱)", 10)
    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL)
    split_page = await open_discussion(user, posts[1].button("نظرات")["url"].split("start=")[1])
    assert "نظری روی پست دوم" in split_page.text and "نظری روی خبر اصلی" not in split_page.text
    await owner.send("/modlog")
    modlog = await owner.next_message()
    assert "خبرها را یکی کرد" in modlog.text and "گزارشی را از خبر جدا کرد" in modlog.text


async def test_a_restart_keeps_the_stories_of_the_window(
    start_bot, fake: FakeTelegram, channel: FakeChat, fast_edits: None
) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    khoy = reports("q-khoy")
    first = await post_report(runner, fake, channel, khoy[0])
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    clusterer = services_of(runner).publisher.clusterer
    await fake.wait_for(lambda: clusterer.loaded, 10)  # loaded from SQLite at start, in the background
    assert clusterer.index.stories == {first: [first]}
    report = Story(khoy[1]["title"], khoy[1]["lead"], source=khoy[1]["source"], url="https://tasnim.example/2")
    outcome = await services_of(runner).publisher.ingest(report)
    assert (outcome.state, outcome.duplicate_of) == ("duplicate", first)
    post: FakeMessage = channel_posts(fake, channel)[0]
    await fake.wait_for(lambda: "همچنین: تسنیم" in (post.text_or_none or ""), 10)
    assert len(channel_posts(fake, channel)) == 1
    stored = sqlite3.connect(runner.settings.database_path).execute("SELECT story_signals FROM articles").fetchall()
    assert all(json.loads(row[0])["t"] for row in stored)


def test_a_story_more_outlets_reported_ranks_higher_in_a_digest() -> None:
    from bot.subscriptions.digests import rank
    from storage.articles import ArticleRow
    from storage.subscriptions import StoryActivity

    def story(article_id: int, posted_at: int, sources: int) -> StoryActivity:
        article = ArticleRow(article_id, f"p{article_id}", None, None, None, None, "k", "عنوان", "", "", None, None,
                             "[]", None, 0, "posted", None, None, None, -1, article_id, posted_at, 0)  # fmt: skip
        return StoryActivity(article, comments=0, votes=0, sources=sources)

    newer_alone, older_widely = story(1, 900, 1), story(2, 100, 3)
    assert [s.article.id for s in rank([newer_alone, older_widely], 0, 1000)] == [2, 1]
    assert [s.article.id for s in rank([story(1, 900, 1), story(2, 100, 1)], 0, 1000)] == [1, 2]


async def test_a_photo_post_gets_its_sources_in_its_caption(
    start_bot, fake: FakeTelegram, channel: FakeChat, fast_edits: None
) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    first, second = reports("e-oil-gas")
    outcome = await services_of(runner).publisher.ingest(
        Story(
            first["title"],
            first["lead"],
            source=first["source"],
            url="https://isna.example/1",
            image_url="https://isna.example/gas.jpg",
        )
    )
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    await fake.wait_for(
        lambda: (
            db(runner).execute("SELECT state FROM articles WHERE id = ?", (outcome.article_id,)).fetchone()
            == ("posted",)
        ),
        10,
    )
    assert post.photo
    joined = await services_of(runner).publisher.ingest(
        Story(second["title"], second["lead"], source=second["source"], url="https://irna.example/2")
    )
    assert joined.state == "duplicate"
    await fake.wait_for(lambda: "همچنین: ایرنا" in (post.caption_or_none or ""), 10)
    assert post.button("نظرات") and len(channel_posts(fake, channel)) == 1
    assert fake.calls_of("editMessageCaption") and not fake.calls_of("editMessageText")
