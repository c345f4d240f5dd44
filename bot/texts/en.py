"""English messages, for users whose Telegram is in English or who chose English."""

MESSAGES: dict[str, str] = {
    "cmd_start": "Start and about the bot",
    "cmd_help": "Help with commands",
    "cmd_language": "Change language (فارسی / English)",
    "cmd_status": "Bot status (admins)",
    # Channel posts
    "post_source": "Source: {source}",
    "post_comments_button": "💬 Comments ({count})",
    "post_read_more": "Full story",
    "start_welcome": (
        "Hello {name} 👋\n"
        "I am <b>Goftogu</b>, the bot behind the channel's news and its readers' discussion.\n\n"
        "Every post in the channel has a “💬 Comments” button: press it to read the discussion here "
        "and add your own comment.\n\n"
        "Help: /help"
    ),
    "help": (
        "<b>Goftogu help</b>\n\n"
        "/start — start\n"
        "/help — this help\n"
        "/language — change language\n\n"
        "To read and write comments, press the “💬 Comments” button under any post in the channel."
    ),
    "help_admin": "\n\n<b>Admin commands</b>\n/status — bot status\n/post — publish a story with a preview\n/addfeed, /feeds, /rmfeed, /pausefeed, /resumefeed — feeds\n/outbox — sending queue",
    "language_prompt": "Choose the bot's language:",
    "language_set": "The bot now speaks English.",
    "language_button_fa": "فارسی",
    "language_button_en": "English",
    "unknown_command": "I don't know that command. See the list with /help",
    "not_text": "For now I only understand text messages. Send /help to see what I can do.",
    "free_text": "Got your message, but I was not waiting for text. To comment, press the “💬 Comments” button under a post in the channel; help: /help",
    "start_unknown_link": "This link is not valid or no longer works. Visit the channel to see the news.",
    "button_expired": "This button no longer works.",
    "error_generic": "Sorry, something went wrong and your request was not completed. Please try again.",
    "not_allowed": "This command is for the bot's admins only.",
    "owner_error_notice": "⚠️ Error while handling update {update_id}:\n<code>{error}</code>{suppressed}",
    "owner_error_suppressed": "\n(and {count} more errors since the last notice)",
    "feed_paused_notice": "⚠️ Feed “{feed}” (id {id}) was paused after repeated failures.\nReason: {reason}\nOnce fixed: /resumefeed {id}",
    "channel_post_failed_notice": "⚠️ A story could not be posted to the channel.\nTelegram said: {reason}\nCheck that the bot is an admin of the channel allowed to post messages.",
    # News administration
    "cmd_cancel": "Cancel what is in progress",
    "cmd_post": "Publish a story with a preview (admins)",
    "cmd_addfeed": "Add an RSS/Atom feed (admins)",
    "cmd_feeds": "List feeds (admins)",
    "cmd_rmfeed": "Remove a feed (admins)",
    "cmd_pausefeed": "Pause a feed (admins)",
    "cmd_resumefeed": "Resume a feed (admins)",
    "cmd_outbox": "Sending queue status (admins)",
    "addfeed_usage": "To add a feed:\n/addfeed URL [name]\nExample: /addfeed https://example.ir/rss Example News",
    "addfeed_checking": "Reading the feed…",
    "addfeed_done": "Feed “{name}” added with id {id}. Its current items were recorded as seen; only new items will be posted.",
    "addfeed_duplicate": "This feed is already there. List: /feeds",
    "addfeed_failed": "The feed was not added: {reason}",
    "feeds_empty": "No feeds yet. Add one: /addfeed URL [name]",
    "feeds_header": "<b>Feeds</b>",
    "feeds_line": "{id}. {name} — {status}{problem}",
    "feeds_problem": "\n   ⚠️ {reason}",
    "feed_status_active": "active",
    "feed_status_paused": "paused",
    "feed_id_usage": "Give the feed's id, e.g. /{command} 3 (list: /feeds)",
    "feed_not_found": "There is no feed with id {id}. List: /feeds",
    "feed_removed": "Feed {id} removed. Its posted stories stay.",
    "feed_paused": "Feed {id} paused. Resume: /resumefeed {id}",
    "feed_resumed": "Feed {id} is read again.",
    "feed_paused_by_admin": "paused by an admin",
    "outbox_stats": "<b>Sending queue</b>\nPending: {pending}\nSending: {sending}\nSent: {sent}\nFailed: {failed}\nDead: {dead}\nOldest waiting: {age} s",
    "post_no_channel": "No channel is set: put CHANNEL_ID in the bot's settings.",
    "post_prompt": "Send the story's text (first line: the title), forward me its message, or send just its URL.\nCancel: /cancel",
    "post_need_text": "No text arrived. Send the story's text or URL; cancel: /cancel",
    "post_fetch_failed": "The URL could not be read: {reason}\nSend the text itself, or /cancel.",
    "post_too_short": "This is too short for a story. Send the title on the first line and the text below it.",
    "post_no_sentences": "No sentences to summarize were found. Send the title on the first line and the text below it.",
    "post_draft_gone": "This draft is no longer open.",
    "post_empty_edit": "The text is empty; send it again.",
    "post_button_publish": "✅ Publish to the channel",
    "post_button_title": "✏️ Edit title",
    "post_button_summary": "✏️ Edit summary",
    "post_button_cancel": "✖️ Cancel",
    "post_ask_title": "Send the new title. Cancel: /cancel",
    "post_ask_summary": "Send the new summary. Cancel: /cancel",
    "post_queued": "The story is queued for the channel.",
    "post_duplicate": "This story was already posted; it was not posted again.",
    "post_cancelled": "Draft cancelled.",
    "cancelled": "Cancelled.",
    "nothing_to_cancel": "Nothing was in progress.",
    "status": ("<b>Bot status</b>\nUptime: {uptime}\nUsers: {users}\nDatabase schema: {schema}\nUpdate mode: {mode}"),
    "mode_polling": "long polling",
    "mode_webhook": "webhook",
}
