"""The discussion of an article: writing, replying, voting, editing, deleting, reporting, paging."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from bot.clock import SYSTEM_CLOCK, Clock
from bot.discussion.media import Media, album_body
from bot.discussion.replies import Replies
from bot.moderation.audit import SYSTEM_ACTOR
from bot.moderation.queue import SHOWN_BEFORE, ReviewQueue
from bot.moderation.screening import Screener
from bot.news.publisher import COMMENT_LINK_SEPARATOR, DEEP_LINK_PREFIX, Publisher
from bot.text.normalize import clean_controls, matching_form
from bot.user_errors import DiscussionError
from bot.users import UserService
from storage.albums import AlbumPart, AlbumRepository
from storage.articles import ArticleRepository, ArticleRow
from storage.comments import CommentRepository, CommentRow, CommentStatus, NewComment, ViewRepository, ViewRow

log = logging.getLogger(__name__)

PAGE_SIZE = 5  # comments listed on a page (with their first replies), or replies listed under one comment
REPLIES_SHOWN = 2  # per comment on the article's page; the comment's own view lists them all
MAX_CHARS = 2000
PER_MINUTE = 5
EDIT_WINDOW = 15 * 60
PAYLOAD = re.compile(rf"^{DEEP_LINK_PREFIX}([A-Za-z0-9]{{10}})$")
COMMENT_NUMBER = re.compile(r"^[1-9][0-9]{0,11}$")


def _pages(items: int) -> int:
    return max(1, -(-items // PAGE_SIZE))


@dataclass(frozen=True)
class Author:
    user_id: int
    name: str


@dataclass
class Node:
    comment: CommentRow
    replies: list[Node] = field(default_factory=list)
    more: int = 0  # published comments under this one that the page does not show (its view shows them)

    @property
    def shown(self) -> bool:
        """False for a placeholder (deleted or hidden) kept for the replies under it."""
        return self.comment.status == CommentStatus.PUBLISHED


@dataclass
class Page:
    """What one discussion message shows: a page of the article's comments, or one comment (`focus`) with a
    page of its replies."""

    article: ArticleRow
    view: ViewRow
    nodes: list[Node]
    total: int  # the article's published comments, as the channel button counts them
    number: int  # page x ...
    count: int  # ... of y
    has_previous: bool
    has_next: bool
    focus: Node | None = None
    parent: CommentRow | None = None  # the comment the focus answers


class DiscussionService:
    def __init__(
        self,
        comments: CommentRepository,
        views: ViewRepository,
        articles: ArticleRepository,
        users: UserService,
        publisher: Publisher,
        screener: Screener,
        queue: ReviewQueue,
        replies: Replies,
        albums: AlbumRepository,
        *,
        max_chars: int = MAX_CHARS,
        per_minute: int = PER_MINUTE,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.clock = clock
        self.max_chars = max_chars
        self.per_minute = per_minute
        self.comments = comments
        self.views = views
        self.articles = articles
        self.users = users
        self.publisher = publisher
        self.screener = screener  # the verdict on each new or edited comment; bans and mutes
        self.queue = queue  # where held and reported comments go
        self.replies = replies  # what a published reply sets off
        self.albums = albums  # which comment each group album became, and its photos

    # ----- finding things --------------------------------------------------------------------------------
    async def article_for_payload(self, payload: str) -> ArticleRow:
        match = PAYLOAD.match(payload)
        if not match:
            raise DiscussionError("start_unknown_link")
        article = await self.articles.by_public_id(match.group(1))
        if article is None or article.deleted or article.state not in ("queued", "posted"):
            raise DiscussionError("start_unknown_link")
        return article

    async def view_for_payload(self, chat_id: int, payload: str) -> ViewRow:
        """What `/start <payload>` opens: the article's discussion, or (`a<article>_<comment>`, the button of a
        reply notice) that comment's own view; a comment no longer shown opens its nearest shown ancestor, or
        the article's page."""
        article_part, separator, comment_part = payload.partition(COMMENT_LINK_SEPARATOR)
        article = await self.article_for_payload(article_part)
        view = ViewRow(chat_id, 0, article.id, "new", None, None, 0, None)
        if not separator:
            return view
        if not COMMENT_NUMBER.match(comment_part):
            raise DiscussionError("start_unknown_link")
        comment = await self.comments.get(int(comment_part))
        if comment is None or comment.article_id != article.id:
            return view
        return await self.after_removal(replace(view, thread_id=comment.id))

    async def answered_view(
        self, chat_id: int, message_id: int, linked_payload: str | None
    ) -> tuple[ViewRow, bool] | None:
        """What a reader's Telegram reply to the bot's message answers: the discussion that message shows (True:
        it is redrawn after), else the comment its link opens (a reply notice's button; False); None when
        neither. A comment left only as a placeholder takes no new reply."""
        view = await self.view(chat_id, message_id)
        shown_there = view is not None
        if view is None and linked_payload is not None:
            view = await self.view_for_payload(chat_id, linked_payload)
            if view.thread_id is None:
                return None
        if view is None:
            return None
        if view.thread_id is not None and (await self.comment(view.thread_id)).status != CommentStatus.PUBLISHED:
            raise DiscussionError("comment_gone")
        return view, shown_there

    async def commentable(self, article_id: int) -> ArticleRow:
        """The article a new comment may be written on: one published (or being published) in the channel,
        whatever a button says (a forged one may name a story that was never posted)."""
        article = await self.articles.get(article_id)
        if article is None or article.deleted:
            raise DiscussionError("start_unknown_link")
        if article.state not in ("queued", "posted"):
            raise DiscussionError("comment_story_unavailable")
        return article

    async def comment(self, comment_id: int) -> CommentRow:
        comment = await self.comments.get(comment_id)
        if comment is None or comment.status not in (CommentStatus.PUBLISHED, CommentStatus.DELETED):
            raise DiscussionError("comment_gone")
        return comment

    async def any_comment(self, comment_id: int) -> CommentRow | None:
        """A comment whatever its status (moderators act on held and hidden ones too)."""
        return await self.comments.get(comment_id)

    async def comment_at(self, chat_id: int, message_id: int) -> CommentRow | None:
        """The comment a Telegram message carries (in the discussion group, or a reader's in private); any photo
        of a group album carries the album's comment."""
        comment = await self.comments.by_message(chat_id, message_id)
        if comment is not None:
            return comment
        comment_id = await self.albums.comment_of_part(chat_id, message_id)
        return await self.comments.get(comment_id) if comment_id is not None else None

    async def story(self, article_id: int) -> ArticleRow | None:
        return await self.articles.get(article_id)

    async def story_by_public_id(self, public_id: str) -> ArticleRow | None:
        return await self.articles.by_public_id(public_id)

    async def story_of_message(self, chat_id: int, message_id: int) -> ArticleRow | None:
        """The story a group message belongs to: its comment's, else the one whose thread it starts."""
        comment = await self.comment_at(chat_id, message_id)
        article_id = comment.article_id if comment else await self.comments.thread_article(chat_id, message_id)
        return await self.articles.get(article_id) if article_id is not None else None

    async def map_channel_copy(self, chat_id: int, message_id: int, channel_id: int, post_id: int) -> None:
        """The group's automatic copy of a channel post starts that story's thread. There is no way to ask
        Telegram later which group message copies which post: it is stored when it arrives."""
        article = await self.articles.by_channel_message(channel_id, post_id)
        if article is not None:
            await self.comments.map_thread(chat_id, message_id, article.id)

    async def place_in_thread(
        self, chat_id: int, replied_id: int | None, thread_id: int | None
    ) -> tuple[int | None, int | None]:
        """(story, parent comment) of a group message answering `replied_id` in thread `thread_id`. Telegram
        gives only one level of reply_to_message, so the parent is found among the comments stored earlier, and
        the thread's story through the mapping of its root."""
        if replied_id is not None:
            parent = await self.comment_at(chat_id, replied_id)
            if parent is not None:
                return parent.article_id, parent.id
            article_id = await self.comments.thread_article(chat_id, replied_id)
            if article_id is not None:
                return article_id, None
        if thread_id is not None:
            return await self.comments.thread_article(chat_id, thread_id), None
        return None, None

    async def view(self, chat_id: int, message_id: int) -> ViewRow | None:
        """What a discussion message in a reader's chat shows (None: a message the bot no longer knows)."""
        return await self.views.get(chat_id, message_id)

    async def save_view(self, view: ViewRow) -> None:
        await self.views.save(view)

    # ----- pages ---------------------------------------------------------------------------------------------
    async def page(self, view: ViewRow) -> Page:
        """The comments a view shows: a page of top-level comments with their first replies, or one comment
        with a page of its replies."""
        article = await self.articles.get(view.article_id)
        if article is None or article.deleted:
            raise DiscussionError("start_unknown_link")
        total = await self.comments.count_published(article.id)
        if view.thread_id is not None:
            return await self._comment_page(article, view, total)
        after = (
            (view.cursor_key, view.cursor_id) if view.cursor_key is not None and view.cursor_id is not None else None
        )
        rows = await self.comments.top_level_page(
            article.id, view.sort, after, PAGE_SIZE + 1, backwards=bool(view.backwards)
        )
        if view.backwards:
            has_previous = len(rows) > PAGE_SIZE
            rows = rows[-PAGE_SIZE:]
            has_next = True
        else:
            has_next = len(rows) > PAGE_SIZE
            rows = rows[:PAGE_SIZE]
            has_previous = after is not None
        nodes = [Node(row) for row in rows]
        await self._fill(nodes)
        count = _pages(await self.comments.count_top_level(article.id))
        # The cursor keeps the reader's place; the number follows it and is corrected at either end.
        if not has_previous:
            number = 1
        elif not has_next:
            number = max(count, 2)
        else:
            number = max(2, min(view.page, count - 1))
        count = max(count, number + int(has_next))
        return Page(article, view, nodes, total, number, count, has_previous, has_next)

    async def _comment_page(self, article: ArticleRow, view: ViewRow, total: int) -> Page:
        assert view.thread_id is not None
        root = await self.comments.get(view.thread_id)
        if root is None or root.article_id != article.id:
            raise DiscussionError("comment_gone")
        shown = await self.comments.count_replies(root.id)
        count = _pages(shown)
        number = max(1, min(view.thread_page, count))
        rows = await self.comments.replies_page(root.id, (number - 1) * PAGE_SIZE, PAGE_SIZE)
        focus = Node(root, [Node(row) for row in rows])
        await self._fill([focus], replies_loaded=True)
        parent = await self.comments.get(root.parent_id) if root.parent_id is not None else None
        return Page(article, view, focus.replies, total, number, count, number > 1, number < count, focus, parent)

    async def _fill(self, nodes: list[Node], *, replies_loaded: bool = False) -> None:
        """Load each node's first replies (unless loaded) and count what the page leaves out: every published
        comment not shown is counted once, under its nearest shown ancestor."""
        if not replies_loaded:
            children = await self.comments.children([node.comment.id for node in nodes], REPLIES_SHOWN)
            for node in nodes:
                node.replies = [Node(child) for child in children.get(node.comment.id, [])]
        everyone = [node for top in nodes for node in (top, *top.replies)]
        below = await self.comments.published_below([node.comment.id for node in everyone])
        for node in everyone:
            accounted = sum(int(reply.shown) + below.get(reply.comment.id, 0) for reply in node.replies)
            node.more = below.get(node.comment.id, 0) - accounted

    # ----- moving between views ------------------------------------------------------------------------------
    async def turned(self, view: ViewRow, forward: bool) -> ViewRow:
        """The view one page on (or back); the same view at either end."""
        page = await self.page(view)
        if not page.nodes or not (page.has_next if forward else page.has_previous):
            return view
        step = 1 if forward else -1
        if view.thread_id is not None:
            return replace(view, thread_page=page.number + step)
        edge = page.nodes[-1].comment if forward else page.nodes[0].comment
        return replace(view, cursor_key=self.sort_key(edge, view.sort), cursor_id=edge.id, backwards=int(not forward),
                       page=page.number + step)  # fmt: skip

    @staticmethod
    def sorted_view(view: ViewRow, sort: str) -> ViewRow:
        """The article's first page in this order."""
        return replace(view, sort=sort, cursor_key=None, cursor_id=None, backwards=0, thread_id=None, page=1,
                       thread_page=1)  # fmt: skip

    @staticmethod
    def article_view(view: ViewRow) -> ViewRow:
        """Back from a comment to the article's page the reader came from."""
        return replace(view, thread_id=None, thread_page=1)

    async def comment_view(self, view: ViewRow, comment_id: int) -> ViewRow:
        """One comment of the view's article, with its replies."""
        comment = await self.comments.get(comment_id)
        if comment is None or comment.article_id != view.article_id or not await self.comments.is_shown(comment_id):
            raise DiscussionError("comment_gone")
        return replace(view, thread_id=comment_id, thread_page=1)

    async def after_removal(self, view: ViewRow) -> ViewRow:
        """The view to draw once a comment went: unchanged, unless it showed that comment and nothing is left
        to show there; then its nearest shown ancestor, or the article's page."""
        comment_id = view.thread_id
        while comment_id is not None and not await self.comments.is_shown(comment_id):
            comment = await self.comments.get(comment_id)
            comment_id = comment.parent_id if comment is not None else None
        if comment_id == view.thread_id:
            return view
        return replace(view, thread_id=comment_id, thread_page=1)

    @staticmethod
    def sort_key(comment: CommentRow, sort: str) -> int:
        return comment.score if sort == "top" else comment.created_at

    # ----- writing -------------------------------------------------------------------------------------------
    async def check_can_write(self, article_id: int, user_id: int) -> None:
        """Refuse at once (before the reader types) what `add` would refuse: a story never posted, a ban, a
        mute, a locked story."""
        await self.screener.check_can_write(user_id, await self.commentable(article_id))

    def clean_words(self, words: str) -> str:
        """What a photo or a poll says, cleaned as a text is; it may be empty (a photo without a caption)."""
        cleaned = clean_controls(words).strip()
        if len(cleaned) > self.max_chars:
            raise DiscussionError("comment_too_long", limit=self.max_chars, length=len(cleaned))
        return cleaned

    def clean_text(self, text: str) -> str:
        """Control and bidi-override characters removed, whitespace trimmed; refused when empty or too long."""
        cleaned = self.clean_words(text)
        if not cleaned:
            raise DiscussionError("comment_empty")
        return cleaned

    async def add(
        self,
        article_id: int,
        parent_id: int | None,
        author: Author,
        text: str,
        *,
        anonymous: bool = False,
        origin: str = "bot",
        tg_chat_id: int | None = None,
        tg_message_id: int | None = None,
        check_flood: bool = True,
        sender_chat_id: int | None = None,
        media: Media | None = None,
        album_id: str | None = None,
    ) -> CommentRow | None:
        """Store a comment (None for a re-delivered group message); update the count and notify.
        A comment screening holds is stored with status `pending`; one it refuses raises. A group message
        without text (`media`: a photo, a poll...) is a comment too, its text the kind's mark and its words; the
        first message of a group album (`album_id`) is stored as that album's comment, which its other messages
        join (`join_album`)."""
        words = self.clean_words(media.words) if media is not None else ""
        text = self.clean_text(text) if media is None else media.body(words)
        now = int(self.clock.time())
        article = await self.commentable(article_id)
        verdict = await self.screener.screen(author.user_id, article, text, sender_chat_id=sender_chat_id)
        status, hold_reason = verdict.status, verdict.hold_reason
        if check_flood and await self.comments.recent_by_author(author.user_id, now - 60) >= self.per_minute:
            raise DiscussionError("comment_flood", limit=self.per_minute)
        depth = 0
        parent = None
        if parent_id is not None:
            parent = await self.comment(parent_id)
            if parent.article_id != article_id:
                raise DiscussionError("comment_gone")
            depth = parent.depth + 1
        new = NewComment(
            article_id=article_id,
            parent_id=parent_id,
            depth=depth,
            author_id=author.user_id,
            author_name=author.name,
            anonymous=anonymous,
            text=text,
            matching=matching_form(text),
            status=status,
            origin=origin,
            tg_chat_id=tg_chat_id,
            tg_message_id=tg_message_id,
            hold_reason=hold_reason,
            media_kind=media.kind if media else None,
            media_file_id=media.file_id if media else None,
        )
        # The comment and what it sets off (the hold's log entry, the reply's notice and group copy) are stored
        # together: a crash in between leaves neither, and the update is handled again.
        async with self.comments.db.transaction():
            comment_id = await self.comments.insert(new, now)
            if comment_id is None:
                return None
            if album_id is not None and media is not None and tg_chat_id is not None and tg_message_id is not None:
                await self.albums.start(tg_chat_id, album_id, comment_id, now)
                await self.albums.add_part(comment_id, AlbumPart(tg_message_id, media.kind, media.file_id, words))
            stored = CommentRow(comment_id, article_id, parent_id, depth, author.user_id, author.name,
                                int(anonymous), text, status, now, None, 0, 0, 0, origin, tg_chat_id, tg_message_id,
                                hold_reason, None, new.media_kind, new.media_file_id)  # fmt: skip
            if status != CommentStatus.PUBLISHED:
                await self.queue.held(stored)
                return stored
            if parent is not None:
                await self.replies.published(parent, stored, article)
        await self.refresh_count(article_id, article)
        return stored

    async def refresh_count(self, article_id: int, article: ArticleRow | None = None) -> int:
        count = await self.comments.count_published(article_id)
        await self.publisher.update_comment_count(article_id, count, article)
        return count

    # ----- changing ------------------------------------------------------------------------------------------
    async def vote(self, comment_id: int, user_id: int, value: int) -> tuple[int, int]:
        await self.screener.check_can_vote(user_id)
        comment = await self.comment(comment_id)
        if comment.status != CommentStatus.PUBLISHED:
            raise DiscussionError("comment_gone")
        if value > 0 and comment.author_id == user_id:  # a like of one's own would lift it in "top" and digests
            raise DiscussionError("comment_like_own")
        return await self.comments.vote(comment_id, user_id, value)

    async def edit(self, comment_id: int, user_id: int, text: str) -> CommentRow:
        comment = await self.own_comment(comment_id, user_id)
        if self.clock.time() - comment.created_at > EDIT_WINDOW:
            raise DiscussionError("comment_edit_too_late", minutes=EDIT_WINDOW // 60)
        cleaned = self.clean_text(text)
        await self.screener.check_can_edit(user_id)
        hold = await self.screener.screen_edit(user_id, cleaned)
        await self.comments.update_text(comment_id, cleaned, matching_form(cleaned), int(self.clock.time()))
        if hold:
            await self.queue.hold_edited(comment)
        return await self.comments.get(comment_id) or comment

    async def edit_from_group(self, chat_id: int, message_id: int, text: str) -> CommentRow | None:
        """A group message was edited (a photo's caption too): its comment follows (group comments have no
        edit window). A held one too: the moderator judges, and an approval posts, what its author wrote last."""
        comment = await self.comment_at(chat_id, message_id)
        if comment is None or comment.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
            return None
        try:
            if comment.media_kind is None:
                return await self._changed(comment, self.clean_text(text))
            words = self.clean_words(text)
            parts = [replace(part, words=words) if part.message_id == message_id else part
                     for part in await self.albums.parts(comment.id)]  # fmt: skip
            body = album_body(parts) if parts else Media(comment.media_kind).body(words)
            async with self.comments.db.transaction():
                if parts:
                    await self.albums.set_words(comment.id, message_id, words)
                return await self._changed(comment, body)
        except DiscussionError as error:
            # Emptied, or edited into a banned word: the comment goes, and so does the group message; its
            # author hears why.
            await self.queue.remove(SYSTEM_ACTOR, comment.id, "filter")
            await self.queue.tell_removed_from_group(comment.author_id, chat_id, message_id, text, error)
            return None

    async def _changed(self, comment: CommentRow, text: str) -> CommentRow:
        """A group comment's new text, screened again (a banned word raises). One held as it came is not marked
        edited: no reader saw it before."""
        hold = await self.screener.screen_edit(comment.author_id, text)
        if comment.status == CommentStatus.PENDING and comment.hold_reason not in SHOWN_BEFORE:
            await self.comments.replace_text(comment.id, text, matching_form(text))
        else:
            await self.comments.update_text(comment.id, text, matching_form(text), int(self.clock.time()))
            if hold:
                await self.queue.hold_edited(comment)
        return await self.comments.get(comment.id) or comment

    async def join_album(self, chat_id: int, album_id: str, message_id: int, media: Media) -> CommentStatus | None:
        """A message of a group album whose first message the bot has seen: a photo of that album's comment,
        stored with it (its mark and words added to the comment's text). Returns where it goes with the
        comment (REJECTED: the album was refused or its comment removed); None for an album not seen yet."""
        seen = await self.albums.seen(chat_id, album_id)
        if seen is None:
            return None
        comment = await self.comments.get(seen.comment_id) if seen.comment_id is not None else None
        if comment is None or comment.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
            return CommentStatus.REJECTED
        parts = await self.albums.parts(comment.id)
        if any(part.message_id == message_id for part in parts):
            return comment.status  # a re-delivered update: stored the first time
        part = AlbumPart(message_id, media.kind, media.file_id, self.clean_words(media.words))
        body = album_body(sorted([*parts, part], key=lambda each: each.message_id))
        try:
            async with self.comments.db.transaction():
                await self.albums.add_part(comment.id, part)
                if part.words:  # its own caption: screened as an edit of the comment
                    comment = await self._changed(comment, body)
                else:
                    await self.comments.replace_text(comment.id, body, matching_form(body))
        except DiscussionError:
            await self.queue.remove(SYSTEM_ACTOR, comment.id, "filter")
            return CommentStatus.REJECTED
        return comment.status

    async def refuse_album(self, chat_id: int, album_id: str) -> None:
        """The album's first message was refused and taken out of the group: its other messages follow it."""
        await self.albums.start(chat_id, album_id, None, int(self.clock.time()))

    async def delete(self, comment_id: int, user_id: int) -> CommentRow:
        comment = await self.own_comment(comment_id, user_id)
        await self.comments.mark_deleted(comment_id)
        await self.refresh_count(comment.article_id)
        await self.replies.take_down(comment)
        return comment

    async def own_comment(self, comment_id: int, user_id: int) -> CommentRow:
        comment = await self.comment(comment_id)
        if comment.author_id != user_id or comment.status != CommentStatus.PUBLISHED:
            raise DiscussionError("comment_not_yours")
        return comment

    async def report(self, comment_id: int, user_id: int) -> bool:
        return await self.queue.report(await self.comment(comment_id), user_id)

    async def author(self, user_id: int, first_name: str) -> Author:
        """The name a reader comments under: their chosen display name, else their Telegram first name."""
        profile = await self.users.users.get(user_id)
        name = (profile.display_name if profile and profile.display_name else first_name) or "?"
        return Author(user_id, name)
