"""The discussion service on its own: a temporary database, a ManualClock, no Telegram. The edit window and the
per-minute limit follow the clock; a reply and what it sets off (its notice, its copy in the group) are stored
together or not at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.discussion.service import EDIT_WINDOW
from bot.user_errors import DiscussionError
from storage.comments import CommentStatus
from tests.service_harness import GROUP_ID, Harness, open_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    opened = await open_harness(tmp_path, DISCUSSION_GROUP_ID=str(GROUP_ID), NEW_USER_COOLDOWN_SECONDS="0",
                                COMMENTS_PER_MINUTE="3")  # fmt: skip
    yield opened
    await opened.services.close()


async def test_a_comment_can_be_edited_within_the_window_and_not_a_second_after(harness: Harness) -> None:
    discussion, clock = harness.services.discussion, harness.clock
    author = await harness.reader(101, "نویسنده")
    comment = await discussion.add(await harness.posted_story(), None, author, "نسخهٔ اول")
    assert comment is not None
    clock.advance(EDIT_WINDOW)  # the window's last second
    assert (await discussion.edit(comment.id, 101, "نسخهٔ دوم")).text == "نسخهٔ دوم"
    clock.advance(1)
    with pytest.raises(DiscussionError) as refused:
        await discussion.edit(comment.id, 101, "نسخهٔ سوم")
    assert (refused.value.key, refused.value.params) == ("comment_edit_too_late", {"minutes": 15})
    assert harness.rows("SELECT text, edited_at - created_at FROM comments") == [("نسخهٔ دوم", EDIT_WINDOW)]


async def test_the_per_minute_limit_holds_for_a_minute_from_each_comment(harness: Harness) -> None:
    discussion, clock = harness.services.discussion, harness.clock
    story, author = await harness.posted_story(), await harness.reader(102, "تندنویس")
    for number in range(3):
        await discussion.add(story, None, author, f"نظر {number}")
        clock.advance(10)
    with pytest.raises(DiscussionError) as refused:
        await discussion.add(story, None, author, "یکی بیشتر")
    assert (refused.value.key, refused.value.params) == ("comment_flood", {"limit": 3})
    clock.advance(31)  # the first comment is a minute old now
    assert await discussion.add(story, None, author, "یکی بیشتر") is not None


async def test_a_reply_in_the_bot_to_a_group_comment_is_mirrored_and_its_author_told_once(harness: Harness) -> None:
    discussion = harness.services.discussion
    story = await harness.posted_story()
    await discussion.comments.map_thread(GROUP_ID, 10, story)
    asker = await harness.reader(201, "پرسشگر")
    question = await discussion.add(story, None, asker, "پرسش در گروه", origin="group", tg_chat_id=GROUP_ID,
                                    tg_message_id=11)  # fmt: skip
    assert question is not None
    await discussion.add(story, question.id, await harness.reader(202, "پاسخ‌گو"), "پاسخ در ربات")
    mirror = harness.rows("SELECT idempotency_key, json_extract(payload, '$.reply_parameters.message_id'), "
                          "json_extract(fallback, '$.payload.reply_parameters.message_id') FROM outbox "
                          "WHERE kind = 'group_mirror'")  # fmt: skip
    assert mirror == [("mirror:2", 11, 10)]  # under the question, or under the post were it gone
    assert harness.sent_to(201) == []  # a group author reads the reply in the group


async def test_a_reply_whose_notice_cannot_be_queued_is_not_stored_either(harness: Harness) -> None:
    discussion, outbox = harness.services.discussion, harness.services.outbox
    story = await harness.posted_story()
    question = await discussion.add(story, None, await harness.reader(301, "پرسشگر"), "پرسش")
    assert question is not None
    enqueue = outbox.enqueue

    async def broken(*args: object, **kwargs: object) -> bool:
        raise OSError("disk full")

    outbox.enqueue = broken  # type: ignore[method-assign]
    with pytest.raises(OSError):
        await discussion.add(story, question.id, await harness.reader(302, "پاسخ‌گو"), "پاسخ")
    outbox.enqueue = enqueue  # type: ignore[method-assign]
    assert harness.rows("SELECT count(*) FROM comments") == [(1,)]
    reply = await discussion.add(story, question.id, await harness.reader(302, "پاسخ‌گو"), "پاسخ")
    assert reply is not None and reply.status == CommentStatus.PUBLISHED
    assert harness.rows("SELECT idempotency_key FROM outbox WHERE kind = 'notification'") == [(f"reply:{reply.id}",)]
