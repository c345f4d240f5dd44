"""Settings from the environment and `.env` (the names are the public contract, see .env.example)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Shapes of values (private constants, not settings: every setting is a Field with an alias below).
_BOT_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_SECRET_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CHAT_ID_SHAPE = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-?\d{1,20})$")

# What each setting expects, said to the operator when a value is missing or wrong.
EXPECTED = {
    "BOT_TOKEN": "the bot token from @BotFather, like 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "BOT_API_BASE_URL": "an http(s) URL of the Bot API, like https://api.telegram.org/bot",
    "CHANNEL_ID": "the channel as @username or numeric id, like -1001234567890",
    "DISCUSSION_GROUP_ID": "the numeric id of the channel's discussion group, like -1001234567890",
    "OWNER_IDS": "comma-separated numeric Telegram user ids, like 11111,22222",
    "DATABASE_PATH": "a file path for the SQLite database",
    "TIMEZONE": "an IANA time zone name, like Asia/Tehran",
    "DIGEST_TIMES": "comma-separated HH:MM times, like 08:00,20:00",
    "FEEDS": "comma-separated http(s) feed URLs",
    "FEED_POLL_SECONDS": "a positive number of seconds",
    "BOT_LANGUAGE": "fa or en",
    "SEND_RATE_PER_SECOND": "a positive number of messages per second",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
    "WEBHOOK_URL": "the public https URL Telegram posts updates to",
    "WEBHOOK_SECRET": "1-256 characters from A-Z, a-z, 0-9, _ and -",
    "WEBHOOK_LISTEN": "the address the webhook server listens on, like 0.0.0.0",
    "WEBHOOK_PORT": "a TCP port number from 1 to 65535",
    "OUTBOX_RETENTION_DAYS": "a whole number of days, 1 or more",
    "ALLOW_PRIVATE_FEEDS": "true or false",
    "STOP_DRAIN_SECONDS": "seconds from 0 to 3.5",
    "BACKUP_DIR": "a folder for the daily database backups",
    "BACKUP_KEEP": "how many daily backups to keep (0 turns backups off)",
    "MINIAPP_URL": "the public https URL of the Mini App, like https://news.example.com/app/",
    "MINIAPP_PORT": "a TCP port number from 1 to 65535",
    "MINIAPP_TELEGRAM_SCRIPT": "the https URL of telegram-web-app.js, or none",
    "MINIAPP_INIT_DATA_MAX_AGE": "seconds (60 or more) for which Telegram's launch data is accepted",
    "HEALTH_LISTEN": "the address of the health and metrics server, like 127.0.0.1",
    "HEALTH_PORT": "a TCP port number from 1 to 65535, or 0 for no health and metrics server",
    "DIGEST_GRACE_MINUTES": "a whole number of minutes, 0 or more",
    "DIGEST_STORIES": "a whole number of stories from 1 to 20",
    "COMMENT_MAX_CHARS": "a whole number of characters from 1 to 4000",
    "COMMENTS_PER_MINUTE": "a whole number of comments, 1 or more",
    "WARN_LIMIT": "a whole number of warns, 1 or more",
    "WARN_ACTION": "mute or ban",
    "WARN_MUTE_MINUTES": "a whole number of minutes, 1 or more",
    "WARN_EXPIRY_DAYS": "a whole number of days, 1 or more",
    "REPORT_THRESHOLD": "a whole number of readers, 1 or more",
    "REPORTS_PER_HOUR": "a whole number of reports, 1 or more",
    "PREMOD_MIN_APPROVED": "a whole number of approved comments, 0 or more",
    "NEW_USER_COOLDOWN_SECONDS": "a whole number of seconds, 0 or more (0 turns the raid watch off)",
    "RAID_NEW_ACCOUNTS": "a whole number of new accounts, 1 or more",
    "GROUP_ADMIN_CACHE_SECONDS": "a whole number of seconds, 10 or more",
    "MOD_LOG_CHAT_ID": "the numeric id of a chat the bot may post to, like -1001234567890",
    "FORGET_COMMENTS": "anonymize or delete",
    "MINIAPP_LISTEN": "the address the Mini App server listens on, like 127.0.0.1",
}


def _csv_parts(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _split_csv(value: object) -> object:
    return _csv_parts(value) if isinstance(value, str) else value


class StorageSettings(BaseSettings):
    """The settings that commands working only on the database need."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_path: Path = Field(Path("data/bot.sqlite3"), alias="DATABASE_PATH")


class Settings(StorageSettings):
    """Everything the running bot needs."""

    bot_token: SecretStr = Field(alias="BOT_TOKEN")
    bot_api_base_url: str = Field("https://api.telegram.org/bot", alias="BOT_API_BASE_URL")
    channel_id: str | None = Field(None, alias="CHANNEL_ID")
    discussion_group_id: int | None = Field(None, alias="DISCUSSION_GROUP_ID")
    owner_ids: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="OWNER_IDS")
    timezone: str = Field("Asia/Tehran", alias="TIMEZONE")
    digest_times: Annotated[list[time], NoDecode] = Field(
        default_factory=lambda: [time(8, 0), time(20, 0)], alias="DIGEST_TIMES"
    )
    feeds: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="FEEDS")
    feed_poll_seconds: float = Field(300.0, gt=0, alias="FEED_POLL_SECONDS")
    bot_language: Literal["fa", "en"] = Field("fa", alias="BOT_LANGUAGE")
    send_rate_per_second: float = Field(30.0, gt=0, alias="SEND_RATE_PER_SECOND")
    outbox_retention_days: int = Field(7, ge=1, alias="OUTBOX_RETENTION_DAYS")
    # Of the 4 s a stop may take: how long the updates already stored keep being handled (the rest go first
    # at the next start).
    stop_drain_seconds: float = Field(2.0, ge=0, le=3.5, alias="STOP_DRAIN_SECONDS")
    # Fetching from loopback, private, link-local or metadata addresses (tests and intranet feeds only).
    allow_private_feeds: bool = Field(False, alias="ALLOW_PRIVATE_FEEDS")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field("INFO", alias="LOG_LEVEL")
    webhook_url: str | None = Field(None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, alias="WEBHOOK_SECRET")
    webhook_listen: str = Field("0.0.0.0", alias="WEBHOOK_LISTEN")
    webhook_port: int = Field(8443, ge=1, le=65535, alias="WEBHOOK_PORT")
    digest_grace_minutes: int = Field(60, ge=0, alias="DIGEST_GRACE_MINUTES")
    digest_stories: int = Field(8, ge=1, le=20, alias="DIGEST_STORIES")
    # Discussions and moderation
    comment_max_chars: int = Field(2000, ge=1, le=4000, alias="COMMENT_MAX_CHARS")
    comments_per_minute: int = Field(5, ge=1, alias="COMMENTS_PER_MINUTE")
    warn_limit: int = Field(3, ge=1, alias="WARN_LIMIT")
    warn_action: Literal["mute", "ban"] = Field("mute", alias="WARN_ACTION")
    warn_mute_minutes: int = Field(24 * 60, ge=1, alias="WARN_MUTE_MINUTES")
    warn_expiry_days: int = Field(30, ge=1, alias="WARN_EXPIRY_DAYS")
    report_threshold: int = Field(3, ge=1, alias="REPORT_THRESHOLD")
    reports_per_hour: int = Field(10, ge=1, alias="REPORTS_PER_HOUR")
    premod_min_approved: int = Field(3, ge=0, alias="PREMOD_MIN_APPROVED")
    # Raids: within this many seconds of a post, once RAID_NEW_ACCOUNTS new accounts (first seen in the last day
    # but not in the bot's first day, nothing published yet) have commented on it, further ones wait for review.
    new_user_cooldown_seconds: int = Field(60, ge=0, alias="NEW_USER_COOLDOWN_SECONDS")
    raid_new_accounts: int = Field(8, ge=1, alias="RAID_NEW_ACCOUNTS")
    group_admin_cache_seconds: int = Field(600, ge=10, alias="GROUP_ADMIN_CACHE_SECONDS")
    mod_log_chat_id: int | None = Field(None, alias="MOD_LOG_CHAT_ID")
    forget_comments: Literal["anonymize", "delete"] = Field("anonymize", alias="FORGET_COMMENTS")
    # The Mini App
    miniapp_url: str | None = Field(None, alias="MINIAPP_URL")
    miniapp_listen: str = Field("127.0.0.1", alias="MINIAPP_LISTEN")
    miniapp_port: int = Field(8080, ge=0, le=65535, alias="MINIAPP_PORT")
    miniapp_init_data_max_age: int = Field(86400, ge=60, alias="MINIAPP_INIT_DATA_MAX_AGE")
    miniapp_telegram_script: str | None = Field(
        "https://telegram.org/js/telegram-web-app.js", alias="MINIAPP_TELEGRAM_SCRIPT"
    )
    # Operations
    backup_dir: Path | None = Field(None, alias="BACKUP_DIR")
    backup_keep: int = Field(7, ge=0, le=1000, alias="BACKUP_KEEP")
    health_listen: str = Field("127.0.0.1", alias="HEALTH_LISTEN")
    health_port: int = Field(8081, ge=0, le=65535, alias="HEALTH_PORT")

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not _BOT_TOKEN_SHAPE.match(value.get_secret_value().strip()):
            raise ValueError("malformed token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("bot_api_base_url", "webhook_url", "miniapp_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("miniapp_telegram_script")
    @classmethod
    def _script(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() in ("", "none"):
            return None
        if not value.startswith("https://"):
            raise ValueError("not an https URL")
        return value

    @field_validator("channel_id", mode="before")
    @classmethod
    def _chat_id(cls, value: object) -> object:
        if value in (None, ""):
            return None
        if not _CHAT_ID_SHAPE.match(str(value).strip()):
            raise ValueError("not a chat id")
        return str(value).strip()

    @field_validator("discussion_group_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("owner_ids", "feeds", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not re.match(r"^https?://[^\s/]+", url):
                raise ValueError(f"not an http(s) URL: {url}")
        return value

    @field_validator("digest_times", mode="before")
    @classmethod
    def _times(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        times = []
        for part in _csv_parts(value):
            match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", part)
            if not match:
                raise ValueError(f"not a HH:MM time: {part}")
            times.append(time(int(match[1]), int(match[2])))
        if not times:
            raise ValueError("no times given")
        return sorted(set(times))

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone") from exc
        return value

    @field_validator("log_level", "bot_language", mode="before")
    @classmethod
    def _fold_case(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("bot_language", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not _SECRET_TOKEN_CHARS.match(value.get_secret_value()):
            raise ValueError("malformed secret")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str:
        return self.bot_token.get_secret_value()

    @property
    def backup_directory(self) -> Path:
        return self.backup_dir or self.database_path.parent / "backups"

    @property
    def uses_webhook(self) -> bool:
        return bool(self.webhook_url)


class SettingsError(Exception):
    """Raised with one operator-readable line per wrong or missing setting."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def describe_errors(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into one line per setting; values are never echoed (they may be secret)."""
    problems: list[str] = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "settings"
        expected = EXPECTED.get(name, "a valid value")
        state = "missing" if item["type"] == "missing" else "invalid"
        line = f"Setting {name} is {state}: expected {expected}."
        if line not in problems:
            problems.append(line)
    return problems


def load[T: StorageSettings](kind: type[T], **overrides: Any) -> T:
    """Read settings, raising SettingsError that names each problem."""
    try:
        return kind(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_errors(error)) from None
