"""Settings: the public names, their parsing, and one clear line per problem."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot import config
from tests.conftest import TOKEN


def load(**values: str) -> config.Settings:
    return config.load(config.Settings, _env_file=None, **values)


def test_defaults_follow_the_contract() -> None:
    settings = load(BOT_TOKEN=TOKEN)
    assert settings.bot_api_base_url == "https://api.telegram.org/bot"
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.timezone == "Asia/Tehran"
    assert settings.digest_times == [time(8, 0), time(20, 0)]
    assert settings.feed_poll_seconds == 300
    assert settings.bot_language == "fa"
    assert settings.send_rate_per_second == 30
    assert settings.log_level == "INFO"
    assert not settings.uses_webhook


def test_lists_are_comma_separated() -> None:
    settings = load(
        BOT_TOKEN=TOKEN,
        OWNER_IDS=" 11, 22 ",
        DIGEST_TIMES="20:00,7:30",
        FEEDS="https://a.ir/rss, http://b.ir/atom",
        FEED_POLL_SECONDS="0.2",
        CHANNEL_ID="@news_channel",
        DISCUSSION_GROUP_ID="-1001234",
        LOG_LEVEL="debug",
    )
    assert settings.owner_ids == [11, 22]
    assert settings.digest_times == [time(7, 30), time(20, 0)]
    assert settings.feeds == ["https://a.ir/rss", "http://b.ir/atom"]
    assert settings.feed_poll_seconds == 0.2
    assert settings.channel_id == "@news_channel"
    assert settings.discussion_group_id == -1001234
    assert settings.log_level == "DEBUG"


def test_every_problem_is_named_once_and_values_are_not_echoed() -> None:
    with pytest.raises(config.SettingsError) as caught:
        load(
            BOT_TOKEN="not-a-token-hunter2",
            OWNER_IDS="a,b",
            TIMEZONE="Mars/Base",
            DIGEST_TIMES="25:00",
            FEED_POLL_SECONDS="-1",
            BOT_LANGUAGE="de",
            WEBHOOK_SECRET="has spaces",
            CHANNEL_ID="news",
        )
    problems = caught.value.problems
    names = [line.split()[1] for line in problems]
    assert sorted(names) == sorted(
        [
            "BOT_TOKEN",
            "OWNER_IDS",
            "TIMEZONE",
            "DIGEST_TIMES",
            "FEED_POLL_SECONDS",
            "BOT_LANGUAGE",
            "WEBHOOK_SECRET",
            "CHANNEL_ID",
        ]
    )
    assert "hunter2" not in "\n".join(problems)


def test_empty_token_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "")
    with pytest.raises(config.SettingsError) as caught:
        load()
    assert caught.value.problems == [
        "Setting BOT_TOKEN is missing: expected the bot token from @BotFather, like "
        "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw."
    ]


def test_settings_are_read_from_dotenv(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={TOKEN}\nOWNER_IDS=5\n", encoding="utf-8")
    settings = config.load(config.Settings, _env_file=env_file)
    assert settings.token == TOKEN and settings.owner_ids == [5]


def clean_env(**extra: str) -> dict[str, str]:
    keep = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    return keep | extra


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `cwd` with only the given settings in its environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=clean_env(**env), capture_output=True, text=True, timeout=60
    )


def test_run_without_settings_prints_one_clear_line_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("Setting BOT_TOKEN is missing: expected the bot token")
    assert not (tmp_path / "data").exists()


def test_cli_help_lists_the_commands(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "migrate", "backup"):
        assert command in result.stdout
