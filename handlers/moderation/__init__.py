"""Moderation commands and the review queue's buttons, in private chat and in the discussion group, one module
per task: sanctions, comments and stories, the review queue, settings, the word filter, roles, the audit log.

Every command and button checks the sender's role on the server (handlers/common.require_role); a button's
callback data carries only a comment id.
"""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, ChatMemberHandler, CommandHandler, filters

from handlers.moderation.audit import modlog, stats
from handlers.moderation.comments import delete_comment, hide_comment, lock, unlock
from handlers.moderation.queue import QUEUE_BUTTONS, approve, queue, queue_button, reject
from handlers.moderation.roles import add_admin, admin_cache, group_member_changed, list_admins, remove_admin
from handlers.moderation.sanctions import ban, mute, unban, unmute, warn, warns
from handlers.moderation.settings import premod
from handlers.moderation.word_filters import word_filter
from handlers.start import moderators_command_in_group

MODERATION_COMMANDS = {
    "ban": ban, "unban": unban, "mute": mute, "unmute": unmute, "warn": warn, "warns": warns,
    "del": delete_comment, "hide": hide_comment, "approve": approve, "reject": reject, "lock": lock,
    "unlock": unlock, "premod": premod, "filter": word_filter,
    "queue": queue, "modlog": modlog, "stats": stats, "addadmin": add_admin, "rmadmin": remove_admin,
    "admins": list_admins, "admincache": admin_cache,
}  # fmt: skip
# Their answers are for moderators' eyes (held comments, the word list, the log, warnings, roles): private chat only.
PRIVATE_ONLY = ("queue", "modlog", "stats", "warns", "filter", "admins", "admincache", "addadmin", "rmadmin")


def register(app: Application) -> None:
    # New messages only: by default python-telegram-bot also runs a command again when its message is edited.
    for name, callback in MODERATION_COMMANDS.items():
        where = filters.ChatType.PRIVATE if name in PRIVATE_ONLY else filters.ALL
        app.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE & where))
    in_groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(list(PRIVATE_ONLY), moderators_command_in_group, filters=in_groups))
    app.add_handler(CallbackQueryHandler(queue_button, pattern=QUEUE_BUTTONS.pattern))
    app.add_handler(ChatMemberHandler(group_member_changed, ChatMemberHandler.CHAT_MEMBER))
