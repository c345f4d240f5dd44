"""Time as an input: the services read a Clock, so a host booted a minute ago (monotonic near 0) works like any."""

from __future__ import annotations

import time

from bot.clock import ManualClock
from bot.text.chars import to_latin_digits
from bot.throttle import NoticeThrottle
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.test_group_moderation import bot_texts, promote, setup


def fresh_boot() -> ManualClock:
    """The machine's monotonic clock at 0 (just booted); wall time now."""
    return ManualClock(wall=time.time(), monotonic=0.0)


async def test_group_admins_are_read_at_once_on_a_fresh_boot_and_follow_the_cache(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    clock = fresh_boot()
    runner, group, _root, _database = await setup(start_bot, fake, channel, clock=clock)
    moderation = runner.services.roles
    helper, later = FakeUser(fake, "دستیار"), FakeUser(fake, "بعدی")
    group.members[helper.id] = "administrator"
    assert helper.id in await moderation.group_admins()
    reads = len(fake.calls_of("getChatAdministrators"))
    assert reads == 1

    # Within GROUP_ADMIN_CACHE_SECONDS the list is not read again ...
    group.members[later.id] = "administrator"
    clock.advance(runner.settings.group_admin_cache_seconds - 1)
    assert later.id not in await moderation.group_admins()
    assert len(fake.calls_of("getChatAdministrators")) == reads
    # ... unless a chat_member update made the service forget it, still at a monotonic time below the cache age.
    moderation.forget_group_admins()
    assert later.id in await moderation.group_admins()
    assert len(fake.calls_of("getChatAdministrators")) == reads + 1
    # Past the cache age it is read again.
    del group.members[later.id]
    clock.advance(runner.settings.group_admin_cache_seconds)
    assert later.id not in await moderation.group_admins()
    assert len(fake.calls_of("getChatAdministrators")) == reads + 2

    # A failing read keeps the list and asks again in a minute, not on every comment meanwhile.
    clock.advance(runner.settings.group_admin_cache_seconds)
    fake.inject("getChatAdministrators", 500, times=2)
    assert helper.id in await moderation.group_admins()
    assert helper.id in await moderation.group_admins()
    assert len(fake.calls_of("getChatAdministrators")) == reads + 3
    clock.advance(61)
    assert helper.id in await moderation.group_admins()
    assert len(fake.calls_of("getChatAdministrators")) == reads + 4


async def test_group_moderators_moderate_in_the_first_minutes_after_boot(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    clock = fresh_boot()
    _runner, group, root, database = await setup(start_bot, fake, channel, clock=clock)
    moderator, rude, promoted = FakeUser(fake, "ناظر"), FakeUser(fake, "تندخو"), FakeUser(fake, "تازه‌مدیر")
    group.members.update({moderator.id: "administrator", rude.id: "member", promoted.id: "member"})
    insult = await rude.send("پیام توهین‌آمیز", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    await moderator.send("/del", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: insult.deleted)
    assert database.execute("SELECT status FROM comments").fetchone() == ("deleted",)

    # Promoted a few seconds later: the chat_member update makes the next command read the list again.
    clock.advance(5)
    await promoted.send("/ban", chat=group)
    await fake.wait_for(lambda: any("فقط برای" in text for text in bot_texts(fake, group)))
    await promote(fake, group, promoted, moderator)
    await promoted.send("/ban", chat=group)  # without whom: a moderator gets the usage
    await fake.wait_for(lambda: any("/ban" in text for text in bot_texts(fake, group)))


async def test_status_uptime_counts_from_the_start_on_the_injected_clock(start_bot, fake: FakeTelegram) -> None:
    clock = fresh_boot()
    await start_bot(clock=clock)
    clock.advance(2 * 3600)
    owner = FakeUser(fake, "Owner", user_id=424242, language_code="fa")
    await owner.send("/status")
    status = await owner.next_message()
    assert "02:00:00" in to_latin_digits(status.text)


def test_error_notices_are_throttled_from_a_clock_at_zero() -> None:
    clock = ManualClock(monotonic=0.0)
    throttle = NoticeThrottle(interval=60.0, clock=clock)
    assert throttle.should_send() == (True, 0)
    clock.advance(59)
    assert throttle.should_send() == (False, 0)
    assert throttle.should_send() == (False, 0)
    clock.advance(1)
    assert throttle.should_send() == (True, 2)
