"""Logging set-up: one format for everything, with secrets redacted from every record."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "<redacted>"


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as it may appear in a log: raw and URL-encoded (httpx logs URLs)."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms.update({secret, quote(secret, safe=""), quote(secret)})
    return sorted(forms, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for form in secrets:
        text = text.replace(form, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record, then removes every secret from the whole text, traceback included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = secret_forms(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def add_secret(secret: str) -> None:
    """Redact one more secret (known only once the bot runs, e.g. a generated webhook secret) everywhere."""
    for handler in logging.getLogger().handlers:
        formatter = handler.formatter
        if isinstance(formatter, RedactingFormatter):
            formatter.secrets = secret_forms([*formatter.secrets, secret])


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Send all logs to stderr through one redacting formatter."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL (which holds the token) at INFO: keep that for DEBUG runs only.
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(quiet)
