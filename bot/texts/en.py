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
    "help_admin": "\n\n<b>Admin commands</b>\n/status — bot status",
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
    "status": ("<b>Bot status</b>\nUptime: {uptime}\nUsers: {users}\nDatabase schema: {schema}\nUpdate mode: {mode}"),
    "mode_polling": "long polling",
    "mode_webhook": "webhook",
}
