"""The command menus Telegram clients show, and `/id`, which tells an operator the numbers the settings ask for."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.commands import ADMIN_COMMANDS, PUBLIC_COMMANDS
from tests.conftest import OWNER_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_discussion import answer

READER_COMMANDS = {"subscribe", "latest", "search", "mysubs", "unsubscribe", "id"}


async def test_menus_list_every_reader_and_admin_command_in_both_languages(
    start_bot, fake: FakeTelegram, owner: FakeUser
) -> None:
    runner = await start_bot()
    await owner.send("/start")  # an admin's menu is published once Telegram knows the chat
    await answer(owner)
    await fake.wait_for(lambda: ("chat", str(OWNER_ID), "en") in fake.commands)
    for language, sample in (("", "اشتراک"), ("en", "Subscribe")):
        public = {c["command"]: c["description"] for c in fake.commands[("default", "", language)]}
        assert public.keys() >= READER_COMMANDS
        assert not {"digest", "digesttimes", "status"} & public.keys()
        assert sample in public["subscribe"]
        admin = {c["command"] for c in fake.commands[("chat", str(OWNER_ID), language)]}
        assert READER_COMMANDS | {"digest", "digesttimes", "status", "post"} <= admin
    # Every command in the menus is one the bot answers (none falls through to "unknown command").
    handled = {name for handlers in runner.app.handlers.values() for handler in handlers
               if isinstance(handler, CommandHandler) for name in handler.commands}  # fmt: skip
    assert set(PUBLIC_COMMANDS + ADMIN_COMMANDS) <= handled


async def test_id_tells_a_user_their_id_and_a_group_its_id(bot, fake: FakeTelegram) -> None:
    user = FakeUser(fake, "Kate", language_code="en")
    await user.send("/id")
    reply = await answer(user)
    assert f"Your user id: {user.id}" in reply.text and "OWNER_IDS" in reply.text
    assert f"<code>{user.id}</code>" in reply.html

    group = fake.add_group(-1009876543210, "Readers")
    persian = FakeUser(fake, "مریم")
    await persian.send("/id@goftogu_test_bot", chat=group)
    said = await fake.wait_for(lambda: fake.history(group.id, from_bot=True))
    assert "شناسهٔ این گروه: -1009876543210" in said[0].text and "DISCUSSION_GROUP_ID" in said[0].text


async def test_the_bot_says_the_id_when_added_to_a_group_or_a_channel(bot, fake: FakeTelegram) -> None:
    admin = FakeUser(fake, "Kate", language_code="en")
    await admin.send("/start")
    await answer(admin)
    group = fake.add_group(-1005550001, "Readers")
    group.bot_status = "left"
    await fake.add_bot(group, admin.json, status="member")
    said = await fake.wait_for(lambda: fake.history(group.id, from_bot=True))
    assert "This group's id: -1005550001" in said[0].text

    channel = fake.add_channel(-1005550002, None, "News")
    channel.bot_status = "left"
    await fake.add_bot(channel, admin.json)
    told = await answer(admin)
    assert "“News”" in told.text and "-1005550002" in told.text and "CHANNEL_ID" in told.text
    assert fake.history(channel.id) == []  # nothing posted to the channel's subscribers
