"""The discussion as a reader sees it. A page lists comments by their stable ids (#۱۲۳) with short previews
and their first replies, and has one small number button per comment; a comment's own view has its full text,
its parent, a page of its replies and the actions on it. Whatever the discussion, a message stays within
Telegram's limits: 4,096 characters, and a keyboard of a few short rows (Telegram refuses more than 100
buttons or more than 8 in a row)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.discussion.buttons import DISCUSSION_BUTTONS
from bot.discussion.buttons import DiscussionAction as Act
from bot.discussion.service import Node, Page
from bot.news.story_service import StoryView
from bot.render.dates import moment_text
from bot.render.html import Safe, escape, isolate, link
from bot.render.ids import comment_ref
from bot.render.post import TEXT_LIMIT, isolate_latin, visible_length
from bot.texts import Id, localize_number, t
from storage.comments import CommentRow, CommentStatus

INDENT = "\u2003"  # an em space: Telegram keeps it at the start of a line, unlike ordinary spaces
NAME_CHARS = 40
SUMMARY_CHARS = 700
PARENT_CHARS = 120
NUMBERS_PER_ROW = 5
# Shorter and shorter previews, then no summary, then a shortened full text, until the message fits.
FITS = ((300, True, None), (160, True, None), (80, True, None), (40, True, None), (40, False, None), (40, False, 1500))


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    web_app: str | None = None  # a Mini App page to open instead of callback data (private chats only)


def action_button(label: str, action: Act, target: int) -> Button:
    """A discussion button doing `action` on `target` (the article's id, or a comment's)."""
    return Button(label, DISCUSSION_BUTTONS.pack(action, target))


@dataclass(frozen=True)
class Viewer:
    """Who looks: their own comments get ✏️ and 🗑, moderators get delete / hide / ban on the others."""

    user_id: int
    moderator: bool = False


def relative_time(seconds: float, lang: str) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return t(lang, "time_now")
    if minutes < 60:
        return t(lang, "time_minutes", n=minutes)
    if minutes < 24 * 60:
        return t(lang, "time_hours", n=minutes // 60)
    return t(lang, "time_days", n=minutes // (24 * 60))


def render_page(
    page: Page, viewer: Viewer, lang: str, now: float, story: StoryView | None = None, tz: ZoneInfo | None = None
) -> tuple[Safe, list[list[Button]]]:
    """The message text (Telegram HTML) and keyboard rows of a page or of a comment's view; a story's first
    page also shows its outlets and, when it developed over several reports, its timeline."""
    html = Safe("")
    for preview, summary, full in FITS:
        html = _text(page, viewer, lang, now, preview, summary, full, story if summary else None, tz)
        if visible_length(html) <= TEXT_LIMIT:
            break
    return html, _buttons(page, viewer, lang)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def preview(comment: CommentRow, limit: int) -> str:
    """A comment's text on one line, at most `limit` characters."""
    return shorten(" ".join(comment.text.split()), limit)


def author_name(comment: CommentRow, lang: str) -> str:
    return t(lang, "anonymous") if comment.anonymous else shorten(comment.author_name, NAME_CHARS)


def ref(comment: CommentRow, lang: str) -> str:
    return comment_ref(comment.id, lang)


def _head(comment: CommentRow, lang: str, now: float) -> str:
    when = relative_time(now - comment.created_at, lang)
    edited = t(lang, "comment_edited") if comment.edited_at else ""
    votes = f"👍{localize_number(comment.up, lang)} 👎{localize_number(comment.down, lang)}"
    return f"<b>{ref(comment, lang)}</b> {isolate(author_name(comment, lang))} · {when}{edited} · {votes}"


def _gone(comment: CommentRow, lang: str) -> Safe:
    """What stands in place of a comment that is not published: deleted, or hidden."""
    return t(lang, "comment_deleted" if comment.status == CommentStatus.DELETED else "comment_hidden")


def _placeholder(comment: CommentRow, lang: str) -> str:
    return f"<b>{ref(comment, lang)}</b> {_gone(comment, lang)}"


def _node_lines(node: Node, lang: str, now: float, limit: int, depth: int) -> list[str]:
    indent = INDENT * depth + ("↳ " if depth else "")
    body_indent = INDENT * (depth + 1) if depth else ""
    comment = node.comment
    if node.shown:
        lines = [f"{indent}{_head(comment, lang, now)}", f"{body_indent}{isolate_latin(preview(comment, limit))}"]
    else:
        lines = [f"{indent}{_placeholder(comment, lang)}"]
    for reply in node.replies:
        lines += _node_lines(reply, lang, now, limit, depth + 1)
    if node.more > 0:
        more = t(lang, "more_replies", count=node.more, number=ref(comment, lang))
        lines.append(f"{INDENT * (depth + 1)}{more}")
    return lines


def _text(
    page: Page,
    viewer: Viewer,
    lang: str,
    now: float,
    limit: int,
    summary: bool,
    full: int | None,
    story: StoryView | None = None,
    tz: ZoneInfo | None = None,
) -> Safe:
    article = page.article
    lines = [f"<b>{isolate_latin(article.title)}</b>"]
    focus = page.focus
    if focus is None:
        if summary and article.summary:
            lines += ["", isolate_latin(shorten(article.summary, SUMMARY_CHARS))]
        if article.url:
            lines += ["", f'<a href="{escape(article.url)}">{t(lang, "post_read_more")}</a>']
        if story is not None:
            lines += _story_lines(story, viewer, lang, tz)
        sort = t(lang, "sort_top" if page.view.sort == "top" else "sort_new")
        header = t(lang, "comments_header", count=page.total, sort=sort)
        lines += ["", f"{header} · {t(lang, 'page_of', page=page.number, pages=page.count)}"]
    else:
        if page.parent is not None:
            parent = page.parent
            shown = parent.status == CommentStatus.PUBLISHED
            said = isolate_latin(preview(parent, PARENT_CHARS)) if shown else _gone(parent, lang)
            lines += ["", t(lang, "comment_parent", ref=ref(parent, lang), name=author_name(parent, lang),
                            text=said)]  # fmt: skip
        lines += ["", *_focus_lines(focus, viewer, lang, now, full)]
        replies = focus.more + sum(int(reply.shown) + reply.more for reply in focus.replies)
        header = t(lang, "replies_header", count=replies)
        lines += ["", f"{header} · {t(lang, 'page_of', page=page.number, pages=page.count)}"]
    if article.locked:
        lines.append(t(lang, "discussion_closed"))
    if not page.nodes:
        lines.append(t(lang, "no_comments_yet" if focus is None else "no_replies_yet"))
    elif focus is None:
        lines.append(t(lang, "page_hint"))
    for node in page.nodes:
        lines.append("")
        lines += _node_lines(node, lang, now, limit, 1 if focus is not None else 0)
    return Safe("\n".join(lines))


TIMELINE_TITLE_CHARS = 90


def _story_lines(story: StoryView, viewer: Viewer, lang: str, tz: ZoneInfo | None) -> list[str]:
    """The story's outlets (each linking to its report) and, when it has several reports, their timeline: time
    in the reader's calendar and the configured zone, outlet, title. Moderators see the numbers /merge and
    /split take."""
    lines: list[str] = []
    if len(story.sources) > 1:
        names = [link(url, isolate_latin(name)) if url else isolate_latin(name) for name, url in story.sources]
        lines += ["", t(lang, "discussion_sources", sources=Safe(t(lang, "list_separator").join(names)))]
    if story.timeline:
        lines += ["", t(lang, "discussion_timeline")]
        for entry in story.timeline:
            line = t(lang, "discussion_timeline_entry", time=moment_text(entry.at, tz, lang),
                     source=entry.source or "-", title=shorten(entry.title, TIMELINE_TITLE_CHARS))  # fmt: skip
            lines.append(f"{comment_ref(entry.article_id, lang)} {line}" if viewer.moderator else line)
    if viewer.moderator:
        lines += ["", t(lang, "discussion_story_id", id=Safe(comment_ref(story.story_id, lang)))]
    return lines


def _focus_lines(focus: Node, viewer: Viewer, lang: str, now: float, full: int | None) -> list[str]:
    comment = focus.comment
    if not focus.shown:
        return [f"🧵 {_placeholder(comment, lang)}"]
    text = comment.text if full is None else shorten(comment.text, full)
    lines = [f"🧵 {_head(comment, lang, now)}", *(isolate_latin(line) for line in text.split("\n"))]
    if viewer.moderator and comment.anonymous:
        lines.append(t(lang, "comment_author_for_moderators", name=comment.author_name, id=Id(comment.author_id)))
    return lines


def _numbers(page: Page, lang: str) -> list[list[Button]]:
    """One button per comment listed, labelled with its id (🧵 when more lives under it), five to a row."""
    listed = [node for top in page.nodes for node in (top, *top.replies)]
    buttons = [action_button(("🧵 " if node.more else "") + ref(node.comment, lang), Act.OPEN, node.comment.id)
               for node in listed]  # fmt: skip
    return [buttons[i : i + NUMBERS_PER_ROW] for i in range(0, len(buttons), NUMBERS_PER_ROW)]


def _navigation(page: Page, lang: str) -> list[list[Button]]:
    article_id = page.article.id
    row = []
    if page.has_previous:
        row.append(action_button(t(lang, "button_previous"), Act.PREVIOUS, article_id))
    if page.has_next:
        row.append(action_button(t(lang, "button_next"), Act.NEXT, article_id))
    return [row] if row else []


def _actions(focus: Node, viewer: Viewer, locked: bool, lang: str) -> list[list[Button]]:
    """What can be done with the comment whose view this is."""
    comment = focus.comment
    if not focus.shown:
        return []
    c = comment.id
    own = comment.author_id == viewer.user_id
    first = [] if locked else [action_button(t(lang, "button_reply"), Act.REPLY, c)]
    first += [action_button(f"👍 {localize_number(comment.up, lang)}", Act.UP, c),
              action_button(f"👎 {localize_number(comment.down, lang)}", Act.DOWN, c)]  # fmt: skip
    if not own and not viewer.moderator:
        first.append(action_button(t(lang, "button_report"), Act.REPORT, c))
    rows = [first]
    if own and comment.origin == "bot":
        rows.append(
            [
                action_button(t(lang, "button_edit"), Act.EDIT, c),
                action_button(t(lang, "button_delete"), Act.ASK_DELETE, c),
            ]
        )
    if viewer.moderator and not own:
        rows.append([action_button(t(lang, "button_mod_delete"), Act.MOD_ASK_DELETE, c),
                     action_button(t(lang, "button_mod_hide"), Act.MOD_HIDE, c),
                     action_button(t(lang, "button_mod_ban"), Act.MOD_ASK_BAN, c)])  # fmt: skip
    return rows


def _buttons(page: Page, viewer: Viewer, lang: str) -> list[list[Button]]:
    article_id = page.article.id
    locked = bool(page.article.locked)
    if page.focus is not None:
        rows = _actions(page.focus, viewer, locked, lang) + _numbers(page, lang) + _navigation(page, lang)
        last = [action_button(t(lang, "button_back"), Act.BACK, article_id)]
        if page.parent is not None:
            last.insert(
                0, action_button(t(lang, "button_parent", ref=ref(page.parent, lang)), Act.OPEN, page.parent.id)
            )
        return [*rows, last]
    rows = _numbers(page, lang) + _navigation(page, lang)
    new_mark = " ✓" if page.view.sort == "new" else ""
    top_mark = " ✓" if page.view.sort == "top" else ""
    rows.append([action_button(t(lang, "button_sort_new") + new_mark, Act.SORT_NEW, article_id),
                 action_button(t(lang, "button_sort_top") + top_mark, Act.SORT_TOP, article_id)])  # fmt: skip
    if not locked:
        rows.append([action_button(t(lang, "button_write"), Act.WRITE, article_id)])
    return rows


def confirmation(
    comment: CommentRow, lang: str, key: str, yes: Button, **params: object
) -> tuple[Safe, list[list[Button]]]:
    """A question about one comment, asked in place of the view: yes, or cancel (back to the view)."""
    text = "\n\n".join([t(lang, key, ref=ref(comment, lang), name=author_name(comment, lang), **params),
                        isolate_latin(preview(comment, 300))])  # fmt: skip
    return Safe(text), [[yes, action_button(t(lang, "button_cancel"), Act.CANCEL, comment.id)]]
