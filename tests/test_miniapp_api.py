"""The Mini App's JSON API against the real bot and the fake Bot API: signed launch data, the reader's
journey, moderators' tools, and refusals. (The page itself is driven in a browser in test_miniapp_browser.py.)"""

from __future__ import annotations

import sqlite3
from typing import Any

import aiohttp
import pytest

from bot.app import BotRunner
from bot.miniapp.auth import InitDataError, sign, verify
from tests.conftest import CHANNEL, OWNER_ID, TOKEN, services_of
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.miniapp_helpers import MiniAppClient, init_data
from tests.test_fake_telegram import call

MINIAPP = {"MINIAPP_URL": "https://news.example.org/app/", "MINIAPP_PORT": "0", "MINIAPP_TELEGRAM_SCRIPT": "none"}


async def post_story(runner: BotRunner, fake: FakeTelegram, channel: FakeChat, title: str = "") -> Any:
    from bot.news.publisher import Story
    from tests.feed_server import fixture_articles
    from tests.test_news import channel_posts

    article = fixture_articles()[0]
    before = len(channel_posts(fake, channel))
    await services_of(runner).publisher.ingest(
        Story(
            title or article["title"], article["text"].replace(" [n] ", "\n"), source="برنا", url="https://borna.news/x"
        )
    )
    post = await fake.wait_for(
        lambda: len(channel_posts(fake, channel)) > before and channel_posts(fake, channel)[-1], 10
    )

    def posted() -> bool:
        with sqlite3.connect(runner.settings.database_path) as conn:
            return conn.execute("SELECT count(*) FROM articles WHERE state = 'posted'").fetchone()[0] > before

    await fake.wait_for(posted)
    return post


@pytest.fixture
async def miniapp(start_bot, fake: FakeTelegram, channel: FakeChat) -> tuple[BotRunner, str, str, Any]:
    runner = await start_bot(CHANNEL_ID=CHANNEL, **MINIAPP)
    post = await post_story(runner, fake, channel)
    url = post.button("نظرات")["url"]
    payload = url.split("startapp=")[1]
    assert runner.miniapp is not None
    return runner, payload, f"http://127.0.0.1:{runner.miniapp.bound_port}", post


def comments(runner: BotRunner) -> list[tuple]:
    with sqlite3.connect(runner.settings.database_path) as conn:
        return conn.execute("SELECT id, parent_id, depth, author_id, text, status FROM comments ORDER BY id").fetchall()


def test_launch_data_is_checked_by_its_signature_age_and_user() -> None:
    good = init_data(5, start="aXXXXXXXXXX")
    user = verify(good, TOKEN, max_age=3600, now=__import__("time").time())
    assert (user.id, user.start_param) == (5, "aXXXXXXXXXX")
    forged = good.replace("%22id%22%3A+5", "%22id%22%3A+6")
    assert forged != good
    cases = {
        "": "missing",
        forged: "bad signature",
        init_data(5, token="987654321:OTHER-token_abcdefghijklmnopqrstuvwxyz0"): "bad signature",
        init_data(5, age=7200): "expired",
        good + "&hash=00": "repeated field",
        sign({"auth_date": "1"}, TOKEN): "no user",
        "x" * 5000: "too long",
    }
    for raw, reason in cases.items():
        with pytest.raises(InitDataError) as caught:
            verify(raw, TOKEN, max_age=3600, now=__import__("time").time())
        assert caught.value.reason == reason


async def test_the_channel_button_opens_the_mini_app_and_forged_requests_are_refused(miniapp) -> None:
    runner, payload, base, post = miniapp
    assert post.button("نظرات")["url"] == f"https://t.me/{runner.services.bot_username}?startapp={payload}"
    reader = MiniAppClient(base, init_data(7001, "سارا", start=payload))
    page = await reader.get(f"/api/story/{payload}")
    assert page["story"]["title"] and page["comments"] == [] and page["me"]["moderator"] is False
    forged_user = reader.init.replace("7001", "7002")
    for init in ("", forged_user, init_data(7001, age=2 * 86400), init_data(7001, token=TOKEN[:-1] + "x")):
        status, data = await reader.call("GET", f"/api/story/{payload}", init=init)
        assert status == 401 and "تلگرام" in data["error"]
    status, data = await reader.call("POST", f"/api/story/{payload}/comments", {"text": "x"}, init=forged_user)
    assert status == 401
    assert comments(runner) == []


async def test_a_reader_writes_replies_three_deep_votes_edits_deletes_and_the_chat_sees_it(
    miniapp, fake: FakeTelegram
) -> None:
    runner, payload, base, _ = miniapp
    reader = FakeUser(fake, "سارا", user_id=7001, language_code="fa")
    reader.allow_bot_to_write()
    sara = MiniAppClient(base, init_data(7001, "سارا", start=payload, allows_write=True))
    reza = MiniAppClient(base, init_data(7002, "رضا", start=payload))
    first = (await sara.post(f"/api/story/{payload}/comments", {"text": "نظر نخست <b>پررنگ</b>"}))["comment"]
    assert (
        first["text"] == "نظر نخست <b>پررنگ</b>"
        and first["mine"]
        and first["ref"] == f"#{first['id']}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    )
    parent = first["id"]
    for client, text in [(reza, "پاسخ یک"), (sara, "پاسخ دو"), (reza, "پاسخ سه")]:
        reply = (await client.post(f"/api/story/{payload}/comments", {"text": text, "parent_id": parent}))["comment"]
        assert reply["parent_id"] == parent
        parent = reply["id"]
    stored = comments(runner)
    assert [row[2] for row in stored] == [0, 1, 2, 3]
    # Sara let the bot write to her: Reza's replies reach her; Reza did not, so hers to him are not sent.
    notices = [await reader.next_message(), await reader.next_message()]
    assert all("رضا" in n.text for n in notices) and {"پاسخ یک", "پاسخ سه"} == {n.text.split("\n")[-1] for n in notices}

    tree = (await reza.get(f"/api/story/{payload}"))["comments"]
    assert tree[0]["text"] == "نظر نخست <b>پررنگ</b>" and not tree[0]["mine"]
    assert tree[0]["replies"][0]["replies"][0]["replies"][0]["text"] == "پاسخ سه"

    assert (await reza.post(f"/api/comments/{first['id']}/vote", {"value": 1}))["up"] == 1
    again = await reza.post(f"/api/comments/{first['id']}/vote", {"value": 1})
    assert (again["up"], again["my_vote"]) == (0, 0)
    assert "گزارش" in (await reza.post(f"/api/comments/{first['id']}/report"))["message"]
    status, data = await sara.call("POST", f"/api/comments/{first['id']}/report", {})
    assert status == 400 and data["error"]

    edited = (await sara.post(f"/api/comments/{first['id']}/edit", {"text": "نظر ویرایش‌شده"}))["comment"]
    assert edited["text"] == "نظر ویرایش‌شده" and edited["edited"]
    status, data = await reza.call("POST", f"/api/comments/{first['id']}/edit", {"text": "نه"})
    assert status == 400

    # The chat shows the same tree.
    await reader.send(f"/start {payload}")
    page = await reader.next_message()
    assert "نظر ویرایش‌شده" in page.text

    since = await reza.get(f"/api/story/{payload}/since/{first['id']}")
    assert [c["text"] for c in since["comments"]] == ["پاسخ یک", "پاسخ دو", "پاسخ سه"]
    assert since["total"] == 4

    await sara.post(f"/api/comments/{first['id']}/delete")
    tree = (await reza.get(f"/api/story/{payload}"))["comments"]
    assert tree[0]["deleted"] and tree[0]["text"] == "" and tree[0]["replies"][0]["text"] == "پاسخ یک"


async def test_a_reader_cannot_like_their_own_comment_in_the_mini_app(miniapp) -> None:
    """The Mini App refuses a like of one's own comment as the chat does, in the reader's language, and
    stores nothing; another reader's like counts."""
    runner, payload, base, _ = miniapp
    john = MiniAppClient(base, init_data(7003, "John", lang="en", start=payload))
    reza = MiniAppClient(base, init_data(7002, "رضا", start=payload))
    mine = (await john.post(f"/api/story/{payload}/comments", {"text": "my own view"}))["comment"]
    status, data = await john.call("POST", f"/api/comments/{mine['id']}/vote", {"value": 1})
    assert (status, data["error"]) == (400, "You cannot like your own comment.")
    with sqlite3.connect(runner.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM votes").fetchone()[0] == 0
        assert conn.execute("SELECT up, score FROM comments WHERE id = ?", (mine["id"],)).fetchone() == (0, 0)
    assert (await reza.post(f"/api/comments/{mine['id']}/vote", {"value": 1}))["up"] == 1
    assert (await john.get(f"/api/story/{payload}"))["comments"][0]["up"] == 1


async def test_bad_requests_get_clear_answers_and_change_nothing(miniapp) -> None:
    runner, payload, base, _ = miniapp
    sara = MiniAppClient(base, init_data(7001, "سارا", start=payload))
    for method, path, body in [
        ("POST", f"/api/story/{payload}/comments", {"text": 5}),
        ("POST", f"/api/story/{payload}/comments", {"text": "x", "parent_id": 2**70}),
        ("POST", f"/api/story/{payload}/comments", ["not", "an", "object"]),
        ("POST", "/api/comments/99999999999999999999/vote", {"value": 1}),
        ("POST", "/api/comments/1/vote", {"value": 5}),
        ("GET", f"/api/story/{payload}?sort=random", None),
        ("GET", f"/api/story/{payload}?cursor=abc", None),
    ]:
        status, data = await sara.call(method, path, body)
        assert status == 400, (path, body, status, data)
        assert data["error"]
    status, data = await sara.call("GET", "/api/story/aNOTASTORY1")
    assert status == 400 and data["error"]
    status, data = await sara.call("POST", f"/api/story/{payload}/comments", {"text": "   "})
    assert status == 400 and data["error"]
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}/api/story/{payload}/comments", data=b"x" * 40_000, headers={"Authorization": f"tma {sara.init}"}
        ) as response:
            assert response.status == 413
        async with http.get(f"{base}/") as response:
            csp = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert "telegram-web-app.js" not in await response.text()
        async with http.get(f"{base}/..%2Fserver.py") as response:
            assert response.status == 404
    assert comments(runner) == []


async def test_english_readers_get_english_answers(miniapp) -> None:
    _, payload, base, _ = miniapp
    kate = MiniAppClient(base, init_data(7003, "Kate", lang="en", start=payload))
    status, data = await kate.call("POST", f"/api/story/{payload}/comments", {"text": " "})
    assert status == 400 and data["error"].isascii()
    assert (await kate.get(f"/api/story/{payload}"))["me"]["lang"] == "en"


async def test_readers_cannot_moderate_and_moderators_hide_ban_and_review_several(miniapp) -> None:
    runner, payload, base, _ = miniapp
    sara = MiniAppClient(base, init_data(7001, "سارا", start=payload))
    owner = MiniAppClient(base, init_data(OWNER_ID, "Owner", start=payload))
    ids = [(await sara.post(f"/api/story/{payload}/comments", {"text": f"نظر {i}"}))["comment"]["id"] for i in range(3)]
    for method, path, body in [
        ("POST", f"/api/comments/{ids[0]}/moderate", {"action": "ban"}),
        ("GET", "/api/queue", None),
        ("POST", "/api/queue", {"approve": ids}),
        ("GET", "/api/stats", None),
    ]:
        status, data = await sara.call(method, path, body)
        assert status == 403 and "مدیران" in data["error"]

    assert (await owner.get(f"/api/story/{payload}"))["me"]["moderator"]
    for comment_id in ids[:2]:
        await owner.post(f"/api/comments/{comment_id}/moderate", {"action": "hide"})
    queue = await owner.get("/api/queue")
    assert [item["id"] for item in queue["items"]] == ids[:2]
    assert queue["items"][0]["story"]["title"] and queue["items"][0]["reason"] == "پنهان‌شده به دست مدیر"
    assert (await sara.get(f"/api/story/{payload}"))["total"] == 1
    done = await owner.post("/api/queue", {"approve": ids[:2]})
    assert done["approved"] == ids[:2]
    assert (await sara.get(f"/api/story/{payload}"))["total"] == 3

    await owner.post(f"/api/comments/{ids[2]}/moderate", {"action": "ban"})
    status, data = await sara.call("POST", f"/api/story/{payload}/comments", {"text": "باز هم"})
    assert status == 400 and data["error"]
    with sqlite3.connect(runner.settings.database_path) as conn:
        actions = [row[0] for row in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("hide") == 2 and actions.count("approve") == 2 and "ban" in actions

    stats = await owner.get(f"/api/stats?story={payload}")
    assert len(stats["per_day"]) == 30 and len(stats["per_hour"]) == 48
    assert sum(point["n"] for point in stats["per_hour"]) == 3
    assert stats["top_stories"][0]["comments"] == 3 and stats["top_commenters"][0]["name"] == "سارا"
    assert all(not any(c.isascii() and c.isdigit() for c in point["label"]) for point in stats["per_day"])


async def test_writes_are_rate_limited_per_reader(miniapp) -> None:
    _, payload, base, _ = miniapp
    from bot.miniapp.server import WRITES_PER_MINUTE

    sara = MiniAppClient(base, init_data(7001, "سارا", start=payload))
    statuses = [
        (await sara.call("POST", "/api/comments/1/vote", {"value": 7}))[0] for _ in range(WRITES_PER_MINUTE + 1)
    ]
    assert statuses[:-1] == [400] * WRITES_PER_MINUTE and statuses[-1] == 429


async def test_the_discussion_in_the_chat_offers_the_mini_app_and_the_fake_refuses_it_outside_private_chats(
    miniapp, fake: FakeTelegram, channel: FakeChat
) -> None:
    _, payload, _, _ = miniapp
    reader = FakeUser(fake, "سارا", user_id=7001, language_code="fa")
    await reader.send(f"/start {payload}")
    page = await reader.next_message()
    button = page.button("برنامه")
    assert button["web_app"]["url"] == f"https://news.example.org/app/?story={payload}"
    fake.allow_errors("BUTTON_TYPE_INVALID")
    markup = {"inline_keyboard": [[{"text": "app", "web_app": {"url": "https://news.example.org/app/"}}]]}
    refused = await call(fake, "sendMessage", chat_id=channel.id, text="x", reply_markup=markup)
    assert refused.status_code == 400 and refused.json()["description"] == "Bad Request: BUTTON_TYPE_INVALID"


async def test_the_group_and_the_mini_app_are_one_discussion(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    from tests.test_group_mirror import mirrors
    from tests.test_group_moderation import setup

    runner, group, root, database = await setup(start_bot, fake, channel, **MINIAPP)
    assert runner.miniapp is not None
    ali = FakeUser(fake, "علی")
    group.members[ali.id] = "member"
    await ali.send("نظر علی در گروه", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    payload = "a" + database.execute("SELECT public_id FROM articles").fetchone()[0]
    sara = MiniAppClient(f"http://127.0.0.1:{runner.miniapp.bound_port}", init_data(7001, "سارا", start=payload))
    tree = (await sara.get(f"/api/story/{payload}"))["comments"]
    assert [c["text"] for c in tree] == ["نظر علی در گروه"]  # the group's comment is in the app
    reply = await sara.post(
        f"/api/story/{payload}/comments", {"text": "پاسخ سارا از برنامه", "parent_id": tree[0]["id"]}
    )
    assert not reply["held"]
    # ... and the app's reply is in the group's thread, under Ali's message, by the bot naming Sara.
    [mirrored] = await fake.wait_for(lambda: mirrors(fake, group, "پاسخ سارا از برنامه"), 15)
    assert "سارا" in mirrored.text


async def test_every_endpoint_checks_who_asks(miniapp) -> None:
    """A reader cannot edit, delete or see the author of another's comment; a banned reader cannot write,
    edit, vote or report; a hidden comment cannot be voted on, reported or answered through."""
    runner, payload, base, _ = miniapp
    sara = MiniAppClient(base, init_data(7001, "سارا", start=payload))
    reza = MiniAppClient(base, init_data(7002, "رضا", start=payload))
    owner = MiniAppClient(base, init_data(OWNER_ID, "Owner", start=payload))
    hers = (await sara.post(f"/api/story/{payload}/comments", {"text": "نظر سارا", "anonymous": True}))["comment"]
    his = (await reza.post(f"/api/story/{payload}/comments", {"text": "نظر رضا"}))["comment"]
    for path, body in [
        (f"/api/comments/{hers['id']}/edit", {"text": "دست‌کاری"}),
        (f"/api/comments/{hers['id']}/delete", {}),
    ]:
        status, data = await reza.call("POST", path, body)
        assert status == 400 and "فقط نویسندهٔ این نظر" in data["error"], (path, data)
    tree = (await reza.get(f"/api/story/{payload}"))["comments"]
    anonymous = next(c for c in tree if c["id"] == hers["id"])
    assert (anonymous["author"], anonymous["author_id"]) == ("ناشناس", None)

    await owner.post(f"/api/comments/{his['id']}/moderate", {"action": "ban"})
    for path, body in [
        (f"/api/story/{payload}/comments", {"text": "باز هم"}),
        (f"/api/story/{payload}/comments", {"text": "پاسخ", "parent_id": hers["id"]}),
        (f"/api/comments/{his['id']}/edit", {"text": "ویرایش پس از محرومیت"}),
        (f"/api/comments/{hers['id']}/vote", {"value": 1}),
        (f"/api/comments/{hers['id']}/report", {}),
    ]:
        status, data = await reza.call("POST", path, body)
        assert status in (400, 403) and data["error"], (path, status, data)

    await owner.post(f"/api/comments/{hers['id']}/moderate", {"action": "hide"})
    kate = MiniAppClient(base, init_data(7003, "Kate", lang="en", start=payload))
    hidden: list[tuple[str, str, dict[str, Any] | None]] = [
        ("POST", f"/api/comments/{hers['id']}/vote", {"value": 1}),
        ("POST", f"/api/comments/{hers['id']}/report", {}),
        ("POST", f"/api/story/{payload}/comments", {"text": "reply", "parent_id": hers["id"]}),
        ("GET", f"/api/comments/{hers['id']}/replies", None),
    ]
    for method, url, request in hidden:
        status, data = await kate.call(method, url, request)
        assert status == 400 and data["error"].isascii(), (url, status, data)
    stored = {row[0]: row[4:] for row in comments(runner)}
    assert stored == {hers["id"]: ("نظر سارا", "pending"), his["id"]: ("نظر رضا", "published")}
    with sqlite3.connect(runner.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM votes").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (0,)
