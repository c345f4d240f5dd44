"""The one owner of the SQLite connection: pragmas, migrations, transactions and online backup."""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer version of the bot than this one."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered migrations shipped in storage/migrations, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    # Numbers are handed out to branches ahead of time, so a number may be unused; none may be taken twice.
    for previous, migration in itertools.pairwise(found):
        if migration.version == previous.version:
            raise RuntimeError(f"two migrations have the number of {migration.name}")
    return found


class Database:
    """An aiosqlite connection shared by all repositories; writes are serialized by one lock.

    A service that writes through several repositories at once (a comment and the notice announcing it) opens
    `transaction()` itself: every write the same task makes inside it, through any repository, joins it, so
    that a crash leaves all of them or none."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None  # the task whose transaction is open

    def _in_transaction(self) -> bool:
        """Whether the calling task has a transaction open (its writes join it rather than wait for it)."""
        return self._owner is not None and asyncio.current_task() is self._owner

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; `transaction()` says BEGIN/COMMIT itself.
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=5000")
        await self._conn.execute("PRAGMA synchronous=NORMAL")

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; rolled back when the block raises. Inside a transaction the same
        task opened, it joins that one (committed or rolled back with it)."""
        if self._in_transaction():
            yield self.conn
            return
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            self._owner = asyncio.current_task()
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
            finally:
                self._owner = None

    # Each aiosqlite call is a hop to its worker thread and back, which costs more than a small query: these
    # helpers take one hop each (a lone write statement commits by itself in autocommit mode).
    async def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement (atomic on its own); return the affected row count."""
        if self._in_transaction():
            return (await self.conn.execute(sql, params)).rowcount
        async with self._write_lock:
            cursor = await self.conn.execute(sql, params)
            return cursor.rowcount

    async def insert(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> int | None:
        """Run one INSERT; return the new row's id, or None when nothing was inserted (OR IGNORE)."""
        if self._in_transaction():
            cursor = await self.conn.execute(sql, params)
        else:
            async with self._write_lock:
                cursor = await self.conn.execute(sql, params)
        return int(cursor.lastrowid or 0) if cursor.rowcount else None

    async def fetchone(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> aiosqlite.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[aiosqlite.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def journal_mode(self) -> str:
        row = await self.fetchone("PRAGMA journal_mode")
        return str(row[0]) if row else ""

    async def migrate(self, migrations: list[Migration] | None = None) -> list[str]:
        """Apply the migrations this database lacks, each in one transaction; return their names."""
        migrations = bundled_migrations() if migrations is None else migrations
        current = await self.schema_version()
        latest = migrations[-1].version if migrations else 0
        if current > latest:
            raise DatabaseTooNew(
                f"database {self.path} has schema version {current}, newer than this bot knows ({latest}); "
                "upgrade the bot or restore a backup"
            )
        applied = []
        for migration in migrations:
            if migration.version <= current:
                continue
            async with self.transaction() as conn:
                for statement in split_statements(migration.sql):
                    await conn.execute(statement)
                # PRAGMA takes no bound parameters; the version is an int we parsed from the file name.
                await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            log.info("applied migration %s", migration.name)
            applied.append(migration.name)
        return applied

    async def backup(self, destination: Path | str) -> None:
        """Write a consistent copy of the live database with SQLite's online backup API."""
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        target = await aiosqlite.connect(destination)
        try:
            await self.conn.backup(target)
        finally:
            await target.close()


def split_statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit the open transaction)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return statements
