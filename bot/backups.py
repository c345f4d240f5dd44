"""Daily online backups of the database with retention, and restoring one (only while no bot runs)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot import tasks
from bot.clock import SYSTEM_CLOCK, Clock
from storage.db import Database, DatabaseTooNew, bundled_migrations
from storage.lock import DatabaseLock

log = logging.getLogger(__name__)

BACKUP_EVERY = 24 * 3600
CHECK_EVERY = 3600.0
PREFIX = "goftogu-"
SUFFIX = ".sqlite3"


class BackupError(RuntimeError):
    """A backup file that cannot be restored, with the reason for the operator."""


def backup_name(moment: float) -> str:
    return PREFIX + datetime.fromtimestamp(moment, UTC).strftime("%Y%m%dT%H%M%SZ") + SUFFIX


def backups_in(directory: Path) -> list[Path]:
    """This bot's backups in `directory`, oldest first (the names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX))


def taken_at(path: Path) -> float | None:
    stamp = path.name[len(PREFIX) : -len(SUFFIX)]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


class BackupService:
    """Keeps `keep` daily copies of the live database in `directory`; a copy is due 24 h after the newest."""

    def __init__(self, db: Database, directory: Path, keep: int, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.directory = directory
        self.keep = keep
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_due(self) -> Path | None:
        """Take a backup when none was taken in the last 24 hours; prune old ones. Returns the new file."""
        existing = backups_in(self.directory)
        newest = taken_at(existing[-1]) if existing else None
        now = self.clock.time()
        if newest is not None and now - newest < BACKUP_EVERY:
            return None
        target = self.directory / backup_name(now)
        partial = target.with_name(target.name + ".partial")
        await self.db.backup(partial)
        partial.replace(target)  # a crash mid-copy leaves only a .partial, never a truncated backup
        for old in backups_in(self.directory)[: -self.keep]:
            old.unlink(missing_ok=True)
        log.info("backed up the database to %s", target)
        return target

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="backups")

    async def stop(self) -> None:
        await tasks.cancel(self._task)
        self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("backup to %s failed; trying again in an hour", self.directory)
            await asyncio.sleep(CHECK_EVERY)


def check_backup(path: Path) -> int:
    """The backup's schema version, after checking it is an intact database this code can run."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}.") from None
    if result is None or result[0] != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result[0] if result else 'no answer'}.")
    latest = bundled_migrations()[-1].version
    if version > latest:
        raise DatabaseTooNew(f"{path} has schema version {version}, newer than this bot's {latest}: upgrade the bot.")
    if version == 0:
        raise BackupError(f"{path} is not a Goftogu database (no schema version).")
    return version


def restore(backup: Path, database_path: Path, clock: Clock = SYSTEM_CLOCK) -> Path | None:
    """Replace the database with `backup`; the current one is kept beside it. Refused while a bot runs."""
    check_backup(backup)
    with DatabaseLock(database_path):
        kept = None
        if database_path.exists():
            stamp = datetime.fromtimestamp(clock.time(), UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = database_path.with_name(f"{database_path.name}.before-restore-{stamp}")
            with (
                contextlib.closing(sqlite3.connect(database_path)) as live,
                contextlib.closing(sqlite3.connect(kept)) as copy,
            ):
                live.backup(copy)  # folds any WAL content into the kept copy
        partial = database_path.with_name(database_path.name + ".restoring")
        partial.unlink(missing_ok=True)
        with (
            contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as source,
            contextlib.closing(sqlite3.connect(partial)) as target,
        ):
            source.backup(target)
        for leftover in ("-wal", "-shm"):
            database_path.with_name(database_path.name + leftover).unlink(missing_ok=True)
        partial.replace(database_path)
        return kept
