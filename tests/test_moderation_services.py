"""The moderation services on their own: a temporary database, a ManualClock moved by hand, no Telegram (the
discussion group is a recording gateway). Sanctions expire and escalate, raids are told from new readers, the
group's admin list follows its cache, and the queue's decisions reach the people concerned through the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.handling import handling
from bot.moderation.roles import Role, Target
from bot.moderation.screening import NEW_USER_AGE
from bot.user_errors import DiscussionError, ModerationError
from storage.comments import CommentStatus, HoldReason
from storage.moderation import SanctionKind
from tests.conftest import OWNER_ID
from tests.service_harness import GROUP_ID, Harness, open_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    opened = await open_harness(tmp_path, DISCUSSION_GROUP_ID=str(GROUP_ID), NEW_USER_COOLDOWN_SECONDS="0")
    yield opened
    await opened.services.close()


async def test_a_mute_counts_down_and_lifts_itself_when_its_time_is_up(harness: Harness) -> None:
    services, clock = harness.services, harness.clock
    author = await harness.reader(101, "نویسنده")
    story = await harness.posted_story()
    await services.sanctions.mute(OWNER_ID, Target(author.user_id, author.name), 30 * 60, "spam")
    until = int(clock.time()) + 30 * 60
    assert harness.gateway.calls == [("mute", 101, until)]  # carried into the group with its end
    with pytest.raises(DiscussionError) as refused:
        await services.discussion.add(story, None, author, "سلام")
    assert (refused.value.key, refused.value.params) == ("you_are_muted", {"minutes": 30})

    clock.advance(29 * 60 + 1)
    with pytest.raises(DiscussionError) as refused:
        await services.discussion.add(story, None, author, "سلام")
    assert refused.value.params == {"minutes": 1}  # never "0 minutes"

    clock.advance(59)  # the mute's very end
    comment = await services.discussion.add(story, None, author, "سلام دوباره")
    assert comment is not None and comment.status == CommentStatus.PUBLISHED
    assert harness.rows("SELECT count(*) FROM mutes") == [(0,)]  # lifted when read past its time


async def test_warns_escalate_to_the_configured_sanction_and_expire(tmp_path: Path) -> None:
    harness = await open_harness(tmp_path, WARN_LIMIT="3", WARN_ACTION="ban", WARN_EXPIRY_DAYS="30")
    services, clock = harness.services, harness.clock
    try:
        rude = Target(202, "بی‌ادب")
        await harness.reader(202, "بی‌ادب")
        assert await services.sanctions.warn(OWNER_ID, rude, "یک") == (1, None)
        clock.advance(31 * 86400)  # the first warn expired
        assert await services.sanctions.warn(OWNER_ID, rude, "دو") == (1, None)
        assert await services.sanctions.warn(OWNER_ID, rude, "سه") == (2, None)
        assert await services.sanctions.warn(OWNER_ID, rude, "چهار") == (3, SanctionKind.BAN)
        assert await services.roles.role(202) == Role.BANNED
        assert harness.rows("SELECT count(*) FROM warns") == [(0,)]
        assert harness.rows("SELECT action, actor_id, reason FROM audit_log WHERE action = 'ban'") == [
            ("ban", 0, "warn_limit")
        ]
        notices = harness.sent_to(202)
        assert len(notices) == 4 and "۳" in notices[-1]  # each warn told, in the reader's digits
    finally:
        await services.close()


async def test_a_warn_handled_again_after_a_crash_is_stored_audited_and_told_once(tmp_path: Path) -> None:
    harness = await open_harness(tmp_path, WARN_LIMIT="2", WARN_ACTION="ban")
    services = harness.services
    try:
        rude = Target(303, "تکراری")
        await harness.reader(303, "تکراری")
        with handling(9001):
            assert await services.sanctions.warn(OWNER_ID, rude, "اول") == (1, None)
        with handling(9001):  # the inbox hands the same update over again after a crash
            assert await services.sanctions.warn(OWNER_ID, rude, "اول") == (1, None)
        assert harness.rows("SELECT count(*) FROM warns") == [(1,)]
        assert harness.rows("SELECT count(*) FROM audit_log WHERE action = 'warn'") == [(1,)]
        assert len(harness.sent_to(303)) == 1
        # The limit's warn, handled twice: one warn, one ban, the warns cleared after it.
        with handling(9002):
            assert await services.sanctions.warn(OWNER_ID, rude, "دوم") == (2, SanctionKind.BAN)
        with handling(9002):
            await services.sanctions.warn(OWNER_ID, rude, "دوم")
        assert harness.rows("SELECT count(*) FROM audit_log WHERE action = 'warn'") == [(2,)]
        assert harness.rows("SELECT count(*) FROM audit_log WHERE action = 'ban'") == [(1,)]
        assert await services.roles.role(303) == Role.BANNED
        assert harness.rows("SELECT count(*) FROM warns") == [(0,)]
    finally:
        await services.close()


async def test_new_accounts_racing_to_a_fresh_story_are_held_as_a_raid_until_the_window_closes(
    tmp_path: Path,
) -> None:
    harness = await open_harness(tmp_path, NEW_USER_COOLDOWN_SECONDS="60", RAID_NEW_ACCOUNTS="3")
    services, clock = harness.services, harness.clock
    try:
        await harness.reader(OWNER_ID, "مالک")  # the installation's first reader ...
        clock.advance(NEW_USER_AGE + 3600)  # ... a day and an hour ago
        story = await harness.posted_story()
        verdicts = []
        for number in range(4):
            author = await harness.reader(300 + number, f"تازه {number}")
            clock.advance(5)
            comment = await services.discussion.add(story, None, author, f"نظر {number}")
            assert comment is not None
            verdicts.append(comment.hold_reason)
        assert verdicts == [None, None, HoldReason.RAID, HoldReason.RAID]
        assert sum("حساب تازه" in text for text in harness.sent_to(OWNER_ID)) == 1  # the admins hear it once

        clock.advance(60)  # the story is no longer fresh
        late = await services.discussion.add(story, None, await harness.reader(310, "دیرتر"), "نظر دیر")
        assert late is not None and late.status == CommentStatus.PUBLISHED
    finally:
        await services.close()


async def test_on_a_new_installation_every_reader_is_new_and_none_of_them_is_a_raid(tmp_path: Path) -> None:
    harness = await open_harness(tmp_path, NEW_USER_COOLDOWN_SECONDS="60", RAID_NEW_ACCOUNTS="2")
    services = harness.services
    try:
        story = await harness.posted_story()
        for number in range(3):
            comment = await services.discussion.add(story, None, await harness.reader(400 + number, "تازه"), "نظر")
            assert comment is not None and comment.status == CommentStatus.PUBLISHED
    finally:
        await services.close()


async def test_the_group_admin_list_is_read_once_per_cache_age_from_a_fresh_boot(harness: Harness) -> None:
    roles, clock, gateway = harness.services.roles, harness.clock, harness.gateway
    gateway.admin_ids = frozenset({501})
    assert await roles.role(501) == Role.MODERATOR  # at monotonic 0.0, the list is read, not taken as fresh
    assert await roles.role(502) == Role.USER
    assert gateway.calls == [("admins", GROUP_ID)]
    clock.advance(harness.services.settings.group_admin_cache_seconds + 1)
    gateway.admin_ids = frozenset()
    assert await roles.role(501) == Role.USER
    assert gateway.calls == [("admins", GROUP_ID)] * 2
    with pytest.raises(ModerationError) as refused:
        await harness.services.sanctions.ban(OWNER_ID, Target(GROUP_ID, "گروه"), None, None)
    assert refused.value.key == "mod_special_account"


async def test_a_sanction_the_group_could_not_take_stays_pending_until_it_can(harness: Harness) -> None:
    services, gateway = harness.services, harness.gateway
    gateway.failing = True
    await services.sanctions.ban(OWNER_ID, Target(601, "خرابکار"), None, "spam")
    assert harness.rows("SELECT action, attempts, done_at FROM group_actions") == [("ban", 1, None)]
    gateway.failing = False
    assert await services.sanctions.reconcile_group() == 0
    assert harness.rows("SELECT attempts, done_at IS NOT NULL FROM group_actions") == [(2, 1)]


async def test_a_group_flood_mutes_only_messages_sent_within_the_last_minute(harness: Harness) -> None:
    services, clock = harness.services, harness.clock
    story = await harness.posted_story()
    author = await harness.reader(701, "پرحرف", private_chat=False)
    for number in range(services.settings.comments_per_minute):
        await services.discussion.add(story, None, author, f"پیام {number}", origin="group", tg_chat_id=GROUP_ID,
                                      tg_message_id=100 + number, check_flood=False)  # fmt: skip
    backlog = int(clock.time()) - 61  # delivered late, after downtime
    assert not await services.sanctions.group_flood(701, backlog)
    assert await services.sanctions.group_flood(701, int(clock.time()))
    assert harness.rows("SELECT until - created_at FROM mutes WHERE user_id = 701") == [(600,)]


async def test_approving_a_held_reply_tells_both_authors_and_rejecting_tells_one(tmp_path: Path) -> None:
    harness = await open_harness(tmp_path, NEW_USER_COOLDOWN_SECONDS="0")
    services = harness.services
    try:
        await services.screener.add_filter(OWNER_ID, "suspect", "مشکوک")
        story = await harness.posted_story()
        asker = await harness.reader(801, "پرسشگر")
        replier = await harness.reader(802, "پاسخ‌گو")
        question = await services.discussion.add(story, None, asker, "پرسش")
        assert question is not None
        held = await services.discussion.add(story, question.id, replier, "پاسخ مشکوک")
        other = await services.discussion.add(story, None, replier, "یک نظر مشکوک دیگر")
        assert held is not None and other is not None and held.hold_reason == HoldReason.SUSPECT
        assert harness.sent_to(801) == []  # nothing about a reply nobody can see

        outcome = await services.queue.approve_many(OWNER_ID, [held.id, held.id, 99999])
        assert (outcome.done, outcome.refused) == ([held.id], [(99999, "queue_item_gone")])
        assert any("پاسخ مشکوک" in text for text in harness.sent_to(801))  # the reply notice, now
        assert harness.rows("SELECT count(*) FROM outbox WHERE idempotency_key = ?", (f"reply:{held.id}",)) == [(1,)]
        await services.queue.reject(OWNER_ID, other.id, "توهین")
        assert any("توهین" in text for text in harness.sent_to(802))
        with pytest.raises(ModerationError) as refused:
            await services.queue.approve(802, other.id)
        assert refused.value.key == "not_allowed_moderator"
    finally:
        await services.close()


async def test_enough_reports_hide_a_comment_and_tell_the_admins(tmp_path: Path) -> None:
    harness = await open_harness(tmp_path, REPORT_THRESHOLD="2", NEW_USER_COOLDOWN_SECONDS="0")
    services = harness.services
    try:
        await harness.reader(OWNER_ID, "مالک")
        story = await harness.posted_story()
        comment = await services.discussion.add(story, None, await harness.reader(901, "نویسنده"), "نظر")
        assert comment is not None
        for reporter in (902, 903):
            await harness.reader(reporter, "گزارشگر")
            assert await services.discussion.report(comment.id, reporter)
        assert harness.rows("SELECT status, hold_reason FROM comments") == [("pending", "reports")]
        assert any("#۱" in text for text in harness.sent_to(OWNER_ID))  # "comment #1 was hidden", in Persian
    finally:
        await services.close()
