"""Command line: python -m bot run | migrate | backup PATH | restore PATH | summarize | screen."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot import config
from bot.cli_screen import add_arguments as add_screen_arguments
from bot.cli_summarize import add_arguments as add_summarize_arguments
from bot.logs import configure_logging
from storage.db import Database, DatabaseTooNew
from storage.lock import DatabaseInUse

EXIT_USAGE = 2
log = logging.getLogger("bot")


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE


def load_or_report[T: config.StorageSettings](kind: type[T]) -> T | None:
    try:
        return config.load(kind)
    except config.SettingsError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("See .env.example for every setting.", file=sys.stderr)
        return None


def cmd_run(_: argparse.Namespace) -> int:
    settings = load_or_report(config.Settings)
    if settings is None:
        return EXIT_USAGE
    configure_logging(settings.log_level, secrets=[settings.token])
    from bot.app import serve  # imported late: python-telegram-bot and hazm are slow to import

    try:
        asyncio.run(serve(settings))
    except InvalidToken:
        return fail("Telegram rejected BOT_TOKEN: check the token from @BotFather.")
    except NetworkError as error:
        return fail(f"Could not reach the Bot API at BOT_API_BASE_URL: {error}")
    except TelegramError as error:
        return fail(f"The Bot API refused to start the bot: {error}")
    except (DatabaseTooNew, DatabaseInUse) as error:
        return fail(str(error))
    return 0


def cmd_migrate(_: argparse.Namespace) -> int:
    settings = load_or_report(config.StorageSettings)
    if settings is None:
        return EXIT_USAGE
    configure_logging("INFO")

    async def migrate() -> list[str]:
        async with Database(settings.database_path) as db:
            return await db.migrate()

    try:
        applied = asyncio.run(migrate())
    except DatabaseTooNew as error:
        return fail(str(error))
    print(f"{settings.database_path}: applied {len(applied)} migration(s): {', '.join(applied) or 'none needed'}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    settings = load_or_report(config.StorageSettings)
    if settings is None:
        return EXIT_USAGE
    if not settings.database_path.exists():
        return fail(f"No database at {settings.database_path} (DATABASE_PATH) to back up.")
    target = Path(args.path)
    if target.resolve() == settings.database_path.resolve():
        return fail("The backup PATH must differ from DATABASE_PATH.")

    async def backup() -> None:
        async with Database(settings.database_path) as db:
            await db.backup(target)

    asyncio.run(backup())
    print(f"Backed up {settings.database_path} to {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.backups import BackupError, restore

    settings = load_or_report(config.StorageSettings)
    if settings is None:
        return EXIT_USAGE
    source = Path(args.path)
    if source.resolve() == settings.database_path.resolve():
        return fail("The backup PATH must differ from DATABASE_PATH.")
    try:
        kept = restore(source, settings.database_path)
    except (BackupError, DatabaseTooNew, DatabaseInUse) as error:
        return fail(str(error))
    print(f"Restored {settings.database_path} from {source}")
    if kept is not None:
        print(f"The database it replaced is kept as {kept}")
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from bot import cli_summarize  # imported late: loading hazm takes a second or two

    return cli_summarize.run(args)


def cmd_screen(args: argparse.Namespace) -> int:
    from bot import cli_screen

    return cli_screen.run(args)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bot", description="Goftogu: a Persian news channel and its discussion on Telegram."
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="apply migrations and run the bot").set_defaults(func=cmd_run)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(func=cmd_migrate)
    backup = commands.add_parser("backup", help="write a consistent copy of the database while the bot runs")
    backup.add_argument("path", help="where to write the copy")
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser("restore", help="replace the database with a backup (the bot must be stopped)")
    restore.add_argument("path", help="the backup file to restore")
    restore.set_defaults(func=cmd_restore)
    summarize = commands.add_parser(
        "summarize", help="clean, summarize and tag articles (a channel post preview, or JSON)"
    )
    add_summarize_arguments(summarize)
    summarize.set_defaults(func=cmd_summarize)
    screen = commands.add_parser(
        "screen",
        help="try word lists on texts from stdin: one JSON verdict (banned, suspect or clean) per text",
    )
    add_screen_arguments(screen)
    screen.set_defaults(func=cmd_screen)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
