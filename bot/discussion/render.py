"""The discussion page as a reader sees it: numbered comments with their replies nested under them, and
buttons that carry the number of the comment they act on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.discussion.service import Node, Page
from bot.render.html import Safe, escape, isolate
from bot.render.post import TEXT_LIMIT, isolate_latin, visible_length
from bot.texts import localize_number, t

INDENT = "\u2003"  # an em space: Telegram keeps it at the start of a line, unlike ordinary spaces
COMMENT_CHARS = (600, 300, 150, 80)  # shorter and shorter until the page fits Telegram's limit


@dataclass(frozen=True)
class Button:
    label: str
    data: str


def relative_time(seconds: float, lang: str) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return t(lang, "time_now")
    if minutes < 60:
        return t(lang, "time_minutes", n=minutes)
    if minutes < 24 * 60:
        return t(lang, "time_hours", n=minutes // 60)
    return t(lang, "time_days", n=minutes // (24 * 60))


def _numbered(nodes: list[Node]) -> list[tuple[int, Node]]:
    out: list[tuple[int, Node]] = []

    def walk(node: Node) -> None:
        out.append((len(out) + 1, node))
        for reply in node.replies:
            walk(reply)

    for node in nodes:
        walk(node)
    return out


def _comment_lines(number: int, node: Node, lang: str, now: float, limit: int, depth: int) -> list[str]:
    comment = node.comment
    indent = INDENT * depth + ("↳ " if depth else "")
    body_indent = INDENT * (depth + 1) if depth else ""
    n = localize_number(number, lang)
    if comment.status == "deleted":
        return [f"{indent}<b>{n}.</b> {t(lang, 'comment_deleted')}"]
    name = t(lang, "anonymous") if comment.anonymous else comment.author_name
    when = relative_time(now - comment.created_at, lang)
    edited = t(lang, "comment_edited") if comment.edited_at else ""
    votes = f"👍{localize_number(comment.up, lang)} 👎{localize_number(comment.down, lang)}"
    text = comment.text if len(comment.text) <= limit else comment.text[: limit - 1] + "…"
    body = "\n".join(f"{body_indent}{isolate_latin(line)}" for line in text.split("\n"))
    head = f"{indent}<b>{n}.</b> {isolate(name)} · {when}{edited} · {votes}"
    lines = [head, body]
    if node.hidden_replies > 0:
        more = t(lang, "more_replies", count=node.hidden_replies, number=localize_number(number, lang))
        lines.append(f"{INDENT * (depth + 1)}{more}")
    return lines


def render_page(page: Page, viewer_id: int, lang: str, now: float) -> tuple[Safe, list[list[Button]]]:
    numbered = _numbered(page.nodes)
    for limit in COMMENT_CHARS:
        html = _render_text(page, numbered, lang, now, limit)
        if visible_length(html) <= TEXT_LIMIT:
            break
    return html, _buttons(page, numbered, viewer_id, lang)


def _render_text(page: Page, numbered: list[tuple[int, Node]], lang: str, now: float, limit: int) -> Safe:
    article = page.article
    lines = [f"<b>{isolate_latin(article.title)}</b>"]
    if page.thread is None and article.summary:
        lines += ["", isolate_latin(article.summary if len(article.summary) <= 700 else article.summary[:699] + "…")]
    if article.url and page.thread is None:
        lines += ["", f'<a href="{escape(article.url)}">{t(lang, "post_read_more")}</a>']
    sort_label = t(lang, "sort_top" if page.view.sort == "top" else "sort_new")
    header = t(lang, "thread_header") if page.thread else t(lang, "comments_header", count=page.total, sort=sort_label)
    lines += ["", header]
    if not numbered:
        lines.append(t(lang, "no_comments_yet"))
    for number, node in numbered:
        lines.append("")
        lines += _comment_lines(
            number, node, lang, now, limit, node.comment.depth - (page.thread.depth if page.thread else 0)
        )
    return Safe("\n".join(lines))


def _buttons(page: Page, numbered: list[tuple[int, Node]], viewer_id: int, lang: str) -> list[list[Button]]:
    rows: list[list[Button]] = []
    for number, node in numbered:
        comment = node.comment
        n = localize_number(number, lang)
        if comment.status != "published":
            continue
        row = [
            Button(f"↩️ {n}", f"d:r:{comment.id}"),
            Button(f"👍 {localize_number(comment.up, lang)}", f"d:u:{comment.id}"),
            Button(f"👎 {localize_number(comment.down, lang)}", f"d:v:{comment.id}"),
        ]
        if comment.author_id == viewer_id and comment.origin == "bot":
            row += [Button(f"✏️ {n}", f"d:e:{comment.id}"), Button(f"🗑 {n}", f"d:x:{comment.id}")]
        else:
            row.append(Button(f"🚩 {n}", f"d:f:{comment.id}"))
        rows.append(row)
        if node.hidden_replies > 0:
            rows.append([Button(t(lang, "button_thread", number=n), f"d:t:{comment.id}")])
    article_id = page.article.id
    if page.thread is not None:
        rows.append([Button(t(lang, "button_back"), f"d:b:{article_id}")])
        return rows
    navigation = []
    if page.has_previous:
        navigation.append(Button(t(lang, "button_previous"), f"d:p:{article_id}"))
    if page.has_next:
        navigation.append(Button(t(lang, "button_next"), f"d:n:{article_id}"))
    if navigation:
        rows.append(navigation)
    new_mark = " ✓" if page.view.sort == "new" else ""
    top_mark = " ✓" if page.view.sort == "top" else ""
    rows.append(
        [
            Button(t(lang, "button_sort_new") + new_mark, f"d:s:{article_id}"),
            Button(t(lang, "button_sort_top") + top_mark, f"d:S:{article_id}"),
        ]
    )
    rows.append([Button(t(lang, "button_write"), f"d:w:{article_id}")])
    return rows
