"""Every admin command and admin button × owner, admin, group admin, ordinary user and banned user.

The server checks the role for every command and every button press, whatever the callback data says;
a refused person gets a clear answer and nothing in the database changes.
"""

from __future__ import annotations

import sqlite3
import time

from bot.moderation.roles import Role
from handlers.moderation.queue import base36
from storage.articles import NewArticle
from storage.comments import CommentStatus, NewComment
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_discussion import answer

GROUP_ID = -1002000
REFUSALS = {Role.OWNER: "فقط برای مالکان", Role.ADMIN: "فقط برای مدیران ربات", Role.MODERATOR: "مدیران و ناظران"}


def commands(victim: int, other: int, comment_id: int, article_id: int) -> list[tuple[str, Role]]:
    """Each admin command with arguments that would change something, and the least role it needs."""
    return [
        (f"/addadmin {other}", Role.OWNER), (f"/rmadmin {other}", Role.OWNER),
        ("/premod all", Role.ADMIN), ("/filter add banned آزمون", Role.ADMIN), ("/admins", Role.ADMIN),
        ("/status", Role.ADMIN), ("/post", Role.ADMIN), ("/cancel", Role.BANNED), ("/addfeed", Role.ADMIN),
        ("/feeds", Role.ADMIN), ("/rmfeed 1", Role.ADMIN), ("/pausefeed 1", Role.ADMIN), ("/resumefeed 1", Role.ADMIN),
        ("/outbox", Role.ADMIN),
        (f"/ban {victim} 1h", Role.MODERATOR), (f"/unban {victim}", Role.MODERATOR),
        (f"/mute {victim} 1h", Role.MODERATOR), (f"/unmute {victim}", Role.MODERATOR),
        (f"/warn {victim}", Role.MODERATOR), (f"/warns {victim}", Role.MODERATOR),
        (f"/lock {article_id}", Role.MODERATOR), (f"/unlock {article_id}", Role.MODERATOR),
        ("/queue", Role.MODERATOR), ("/modlog", Role.MODERATOR), ("/stats", Role.MODERATOR),
        ("/admincache", Role.MODERATOR), (f"/del {comment_id}", Role.MODERATOR),
        (f"/hide #{comment_id}", Role.MODERATOR), (f"/approve {comment_id}", Role.MODERATOR),
        (f"/reject {comment_id} دلیل", Role.MODERATOR),
    ]  # fmt: skip


# Queue buttons carry the page's start and the comments, in base 36 (`{c}` is the comment's id so written).
BUTTONS = [("m:a:0.{c}", Role.MODERATOR), ("m:A:0.{c}", Role.MODERATOR), ("m:r:0.{c}", Role.MODERATOR),
           ("m:R0:0.{c}", Role.MODERATOR), ("m:Rx:0.{c}", Role.MODERATOR), ("m:b:0.{c}", Role.MODERATOR),
           ("m:n:{c}", Role.MODERATOR), ("draft:1:publish", Role.ADMIN), ("draft:1:cancel", Role.ADMIN)]  # fmt: skip


def state(path: str) -> list[object]:
    database = sqlite3.connect(path)
    queries = [
        "SELECT count(*) FROM audit_log", "SELECT count(*) FROM bans", "SELECT count(*) FROM mutes",
        "SELECT count(*) FROM warns", "SELECT count(*) FROM word_filters", "SELECT count(*) FROM admins",
        "SELECT count(*) FROM pending_inputs", "SELECT group_concat(status) FROM comments",
        "SELECT group_concat(locked) FROM articles", "SELECT group_concat(value) FROM bot_state",
    ]  # fmt: skip
    return [database.execute(query).fetchone()[0] for query in queries]


async def press_data(user: FakeUser, message: FakeMessage, data: str) -> dict:
    """Press a button with forged callback data on one of the user's messages; return the bot's answer."""
    fake = user.fake
    query_id = str(next(fake._callback_ids))
    fake.callback_answers[query_id] = {}
    await fake.deliver("callback_query", {"id": query_id, "from": user.json, "message": message.to_json(fake),
                                          "chat_instance": "ci", "data": data})  # fmt: skip
    return await user.callback_answer(query_id)


async def test_every_admin_command_and_button_checks_the_role_on_the_server(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    group = fake.add_group(GROUP_ID, "گفت‌وگو", linked_channel=channel.id)
    # Presses come faster than the redraws they cause: one may carry the message as it was before the last
    # redraw, and its own redraw then changes nothing (Telegram's answer, which the bot lets pass).
    fake.allow_errors("message is not modified")
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    services = runner.services
    path = str(runner.settings.database_path)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    admin, group_admin = FakeUser(fake, "مدیر"), FakeUser(fake, "مدیر گروه")
    user, banned = FakeUser(fake, "خواننده"), FakeUser(fake, "مسدود")
    victim, other = FakeUser(fake, "هدف"), FakeUser(fake, "دیگری")
    group.members[group_admin.id] = "administrator"
    for person in (owner, admin, group_admin, user, banned, victim, other):
        await person.send("/start")
        await answer(person)
    assert "مدیر ربات شد" in (await _ask(owner, f"/addadmin {admin.id}")).text
    assert "مسدود شد" in (await _ask(owner, f"/ban {banned.id}")).text
    article_id = await services.articles.insert(NewArticle("abcdefghij", "خبر", "خبر"), "posted", int(time.time()))

    async def held_comment() -> int:
        comment_id = await services.discussion.comments.insert(
            NewComment(
                article_id, None, 0, victim.id, "هدف", False, "نظر نگه‌داشته", "نظر", CommentStatus.PENDING, "bot"
            ),
            int(time.time()),
        )
        assert comment_id is not None
        return comment_id

    roles = [(owner, Role.OWNER), (admin, Role.ADMIN), (group_admin, Role.MODERATOR), (user, Role.USER),
             (banned, Role.BANNED)]  # fmt: skip
    checked = 0
    for person, role in roles:
        comment_id = await held_comment()
        for text, needed in commands(victim.id, other.id, comment_id, article_id):
            before = state(path)
            reply = await _ask(person, text)
            refused = needed in REFUSALS and REFUSALS[needed] in reply.text
            assert refused == (role < needed), f"{text} by {role.name}: {reply.text}"
            if refused:
                assert state(path) == before, f"{text} by {role.name} changed something"
            if text == "/post" and not refused:
                await _ask(person, "/cancel")
            checked += 1
        anchor = person.received()[-1]
        for pattern, needed in BUTTONS:
            comment_id = await held_comment()
            before = state(path)
            answered = await press_data(person, anchor, pattern.format(c=base36(comment_id)))
            refused = REFUSALS[needed] in (answered.get("text") or "")
            assert refused == (role < needed), f"{pattern} by {role.name}: {answered}"
            if refused:
                assert state(path) == before, f"{pattern} by {role.name} changed something"
            await services.inputs.stop_waiting(person.id)
            checked += 1
            while person.received()[-1] is not anchor and not refused:
                anchor = person.received()[-1]
    assert checked == 5 * (len(commands(0, 0, 0, 0)) + len(BUTTONS))


async def _ask(user: FakeUser, text: str) -> FakeMessage:
    await user.send(text)
    return await answer(user)
