"""The discussion's buttons: `d:<action>:<id>`, the id an article's for the page's own buttons, else a
comment's. The letters are those on messages already in readers' chats; older ones stay readable."""

from __future__ import annotations

from enum import StrEnum

from bot.render.buttons import ButtonCodec


class DiscussionAction(StrEnum):
    NEXT = "n"
    PREVIOUS = "p"
    SORT_NEW = "s"
    SORT_TOP = "S"
    BACK = "b"
    OPEN = "o"
    OPEN_THREAD = "t"  # older pages' thread button, still on messages in readers' chats: opens the comment
    UP = "u"
    DOWN = "v"
    REPORT = "f"
    WRITE = "w"
    REPLY = "r"
    ANONYMOUS = "y"
    EDIT = "e"
    ASK_DELETE = "x"
    DELETE = "X"
    CANCEL = "c"
    MOD_ASK_DELETE = "md"
    MOD_DELETE = "mD"
    MOD_HIDE = "mh"
    MOD_ASK_BAN = "mb"
    MOD_BAN = "mB"


DISCUSSION_BUTTONS = ButtonCodec("d", DiscussionAction)
