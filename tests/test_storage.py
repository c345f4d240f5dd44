"""The database owner: pragmas, migrations, transactions and online backup."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import Database, DatabaseTooNew, Migration, bundled_migrations, split_statements
from storage.users import UserRepository
from tests.test_config import clean_env


async def pragma(db: Database, name: str) -> object:
    row = await db.fetchone(f"PRAGMA {name}")
    assert row is not None, name
    return row[0]


async def test_open_sets_wal_and_pragmas(tmp_path: Path) -> None:
    async with Database(tmp_path / "sub" / "bot.sqlite3") as db:
        assert await db.journal_mode() == "wal"
        assert await pragma(db, "foreign_keys") == 1
        assert await pragma(db, "busy_timeout") == 5000
        assert await pragma(db, "synchronous") == 1  # NORMAL


async def test_migrations_apply_once_and_record_the_version(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Database(path) as db:
        applied = await db.migrate()
        assert applied == [m.name for m in bundled_migrations()]
        assert await db.schema_version() == bundled_migrations()[-1].version
        assert await db.migrate() == []


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Database(path) as db:
        await db.migrate()
        await db.conn.execute("PRAGMA user_version = 999")
        with pytest.raises(DatabaseTooNew, match="newer than this bot knows"):
            await db.migrate()


async def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = [Migration(1, "0001_x.sql", "CREATE TABLE a (x INTEGER);\nINSERT INTO nowhere VALUES (1);")]
    async with Database(tmp_path / "bot.sqlite3") as db:
        with pytest.raises(sqlite3.OperationalError):
            await db.migrate(broken)
        assert await db.schema_version() == 0
        assert await db.fetchone("SELECT name FROM sqlite_master WHERE name = 'a'") is None


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        users = UserRepository(db)
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
                raise RuntimeError("boom")
        assert await db.fetchone("SELECT * FROM bot_state") is None
        await users.upsert(1, "Ali", None, None, "fa", now=10)
        user = await users.get(1)
        assert user is not None and user.first_name == "Ali"


def test_split_statements_keeps_semicolons_inside_strings() -> None:
    script = "-- note\nCREATE TABLE t (x TEXT DEFAULT ';');\nINSERT INTO t VALUES ('a;b');\n"
    assert split_statements(script) == [
        "-- note\nCREATE TABLE t (x TEXT DEFAULT ';');",
        "INSERT INTO t VALUES ('a;b');",
    ]


async def test_backup_command_copies_a_live_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Database(path) as db:
        await db.migrate()
        await UserRepository(db).upsert(7, "مریم", None, "maryam", "fa", now=1)
        # The bot still holds the database open (WAL) while another process backs it up.
        target = tmp_path / "backup" / "copy.sqlite3"
        result = subprocess.run(
            [sys.executable, "-m", "bot", "backup", str(target)],
            cwd=tmp_path,
            env=clean_env(DATABASE_PATH=str(path)),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT first_name FROM users WHERE id = 7").fetchone() == ("مریم",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_migrate_command_reports_what_it_applied(tmp_path: Path) -> None:
    env = clean_env(DATABASE_PATH=str(tmp_path / "db.sqlite3"))
    first = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0 and "0001_users.sql" in first.stdout
    again = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert "none needed" in again.stdout


def test_backup_without_a_database_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(tmp_path / "x.sqlite3")],
        cwd=tmp_path,
        env=clean_env(DATABASE_PATH=str(tmp_path / "none.sqlite3")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "No database" in result.stderr and "Traceback" not in result.stderr


async def test_comment_count_follows_every_status_change(tmp_path: Path) -> None:
    """The channel button's N comes from articles.comment_count, kept by triggers (migration 0004)."""
    from storage.articles import ArticleRepository, NewArticle
    from storage.comments import CommentRepository, CommentStatus, NewComment

    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        article_id = await ArticleRepository(db).insert(NewArticle("abc", "t", "t", "s", "b"), "posted", 1)
        comments = CommentRepository(db)

        def comment(status: CommentStatus, message_id: int) -> NewComment:
            return NewComment(article_id, None, 0, 7, "مریم", False, "متن", "متن", status, "group", -100, message_id)

        async def count() -> int:
            return await comments.count_published(article_id)

        first = await comments.insert(comment(CommentStatus.PUBLISHED, 1), 1)
        held = await comments.insert(comment(CommentStatus.PENDING, 2), 1)
        assert first and held and await count() == 1
        assert await comments.insert(comment(CommentStatus.PUBLISHED, 1), 1) is None  # the same Telegram message again
        assert await count() == 1
        await db.execute("UPDATE comments SET status = 'published' WHERE id = ?", (held,))
        assert await count() == 2
        await comments.mark_deleted(first)
        await comments.mark_deleted(first)
        assert await count() == 1
        await db.execute("DELETE FROM comments WHERE id = ?", (held,))
        assert await count() == 0


async def test_an_albums_photos_are_read_out_and_forgotten_with_their_author(tmp_path: Path) -> None:
    """/mydata lists an album's photos and captions; /forgetme (comments deleted) erases them, also under a
    comment kept as a placeholder for its replies."""
    from storage.albums import AlbumPart, AlbumRepository
    from storage.articles import ArticleRepository, NewArticle
    from storage.comments import CommentRepository, CommentStatus, NewComment
    from storage.privacy import PrivacyRepository

    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        article_id = await ArticleRepository(db).insert(NewArticle("albumtest01", "خبر", "خبر"), "posted", 0)
        comments, albums = CommentRepository(db), AlbumRepository(db)

        async def add(author: int, message_id: int, parent: int | None = None) -> int:
            new = NewComment(article_id, parent, int(parent is not None), author, "نام", False, "🖼🖼 دو عکس", "m",
                             CommentStatus.PUBLISHED, "group", -100, message_id, media_kind="photo")  # fmt: skip
            comment_id = await comments.insert(new, 0)
            assert comment_id is not None
            return comment_id

        album = await add(7, 10)
        await add(8, 20, parent=album)  # another reader's reply keeps the album as a placeholder
        for message_id, words in ((10, "دو عکس"), (11, "")):
            await albums.add_part(album, AlbumPart(message_id, "photo", f"photo{message_id}", words))
        privacy = PrivacyRepository(db)
        exported = (await privacy.export_user(7))["album_photos"]
        assert [(row["message_id"], row["words"]) for row in exported] == [(10, "دو عکس"), (11, "")]
        await privacy.forget_user(7, "کاربر حذف‌شده", delete_comments=True)
        assert await albums.parts(album) == []
        assert (await comments.get(album)) is not None  # the placeholder holds the reply's place


async def test_the_audit_duration_migration_recovers_the_length_of_sanctions_still_in_force(tmp_path: Path) -> None:
    """Migration 0016: a ban or mute logged before it gets its length when its sanction is still there (0: a
    ban for good); one whose sanction is gone stays without (its length was never kept), other actions too."""
    before = [m for m in bundled_migrations() if m.version < 16]
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate(before)
        entries = [(1, "ban", "7", 100), (1, "ban", "8", 200), (1, "mute", "9", 300), (1, "mute", "10", 400),
                   (1, "warn", "9", 300)]  # fmt: skip
        for entry in entries:
            await db.execute(
                "INSERT INTO audit_log (actor_id, action, target_type, target_id, created_at) "
                "VALUES (?, ?, 'user', ?, ?)",
                entry,
            )
        await db.execute("INSERT INTO bans VALUES (7, 7300, NULL, 1, 100), (8, NULL, NULL, 1, 200)")
        await db.execute("INSERT INTO mutes VALUES (9, 2100, NULL, 1, 300)")  # user 10's mute has ended
        await db.migrate()
        rows = await db.fetchall("SELECT action, target_id, duration FROM audit_log ORDER BY id")
        assert [tuple(row) for row in rows] == [
            ("ban", "7", 7200), ("ban", "8", 0), ("mute", "9", 1800), ("mute", "10", None), ("warn", "9", None),
        ]  # fmt: skip


async def test_likes_readers_gave_their_own_comments_before_the_bot_refused_them_are_taken_back(
    tmp_path: Path,
) -> None:
    """Migration 0017: a reader's like of their own comment no longer lifts it; others' votes and a reader's
    dislike of their own comment stay."""
    from storage.articles import ArticleRepository, NewArticle
    from storage.comments import CommentRepository, CommentStatus, NewComment

    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate([m for m in bundled_migrations() if m.version < 17])
        article_id = await ArticleRepository(db).insert(NewArticle("abc", "t", "t", "s", "b"), "posted", 1)
        comments = CommentRepository(db)
        ids = []
        for author, message_id in ((7, 1), (8, 2)):
            new = NewComment(article_id, None, 0, author, "مریم", False, "متن", "متن", CommentStatus.PUBLISHED,
                             "group", -100, message_id)  # fmt: skip
            comment_id = await comments.insert(new, 1)
            assert comment_id is not None
            ids.append(comment_id)
        mine, theirs = ids
        for voter, comment_id, value in ((7, mine, 1), (9, mine, 1), (10, mine, -1), (8, theirs, -1), (7, theirs, 1)):
            await comments.vote(comment_id, voter, value)
        await db.migrate()
        rows = await db.fetchall("SELECT id, up, down, score FROM comments ORDER BY id")
        assert [tuple(row) for row in rows] == [(mine, 1, 1, 0), (theirs, 1, 1, 0)]
        votes = await db.fetchall("SELECT comment_id, user_id, value FROM votes ORDER BY comment_id, user_id")
        assert [tuple(row) for row in votes] == [(mine, 9, 1), (mine, 10, -1), (theirs, 7, 1), (theirs, 8, -1)]
