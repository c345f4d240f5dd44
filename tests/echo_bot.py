"""A bare python-telegram-bot echo bot: the baseline `make bench` compares the real bot with."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_message.text
    await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    app = ApplicationBuilder().token(os.environ["BOT_TOKEN"]).base_url(os.environ["BOT_API_BASE_URL"]).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(timeout=30)


if __name__ == "__main__":
    main()
