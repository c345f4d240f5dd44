"""Fetching feeds and pages over HTTP, defensively: timeouts, a size cap, few redirects, http(s) only,
a few requests per host at a time."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from bot.user_errors import UserFacingError

log = logging.getLogger(__name__)
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
PER_HOST = 2
TIMEOUT = httpx.Timeout(connect=10.0, read=20.0, write=10.0, pool=30.0)
USER_AGENT = "Goftogu/0.1 (news bot)"


class FetchError(UserFacingError):
    """A fetch that failed; `key` (feed_error_*) says why in a line fit for an admin."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("feed_error_scheme")
    return url.strip()


class Fetcher:
    def __init__(
        self, client: httpx.AsyncClient | None = None, max_bytes: int = MAX_BYTES, timeout: httpx.Timeout | None = None
    ) -> None:
        self.client = client or httpx.AsyncClient(
            timeout=timeout or TIMEOUT,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
        )
        self.max_bytes = max_bytes
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def close(self) -> None:
        await self.client.aclose()

    async def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        url = check_url(url)
        host = urlsplit(url).hostname or ""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit_mb = self.max_bytes // (1024 * 1024) or 1
        async with self._hosts.setdefault(host, asyncio.Semaphore(PER_HOST)):
            try:
                async with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code == 304:
                        return Fetched(str(response.url), 304, b"", "", etag, last_modified)
                    if response.status_code >= 400:
                        raise FetchError("feed_error_http", status=response.status_code)
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError("feed_error_too_large", mb=limit_mb)
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError("feed_error_too_large", mb=limit_mb)
                        chunks.append(chunk)
                    return Fetched(
                        str(response.url),
                        response.status_code,
                        b"".join(chunks),
                        response.headers.get("content-type", ""),
                        response.headers.get("etag"),
                        response.headers.get("last-modified"),
                    )
            except httpx.TooManyRedirects:
                raise FetchError("feed_error_redirects", count=MAX_REDIRECTS) from None
            except httpx.TimeoutException:
                raise FetchError("feed_error_timeout") from None
            except httpx.UnsupportedProtocol:
                raise FetchError("feed_error_redirect_scheme") from None
            except httpx.HTTPError as error:
                log.info("fetching %s failed: %s: %s", url, type(error).__name__, error)
                raise FetchError("feed_error_connect") from None
