"""Fetching feeds and pages over HTTP, defensively: timeouts, a size cap, few redirects, http(s) only,
a few requests per host at a time, and never into the server's own network.

An admin's URL (/post, /addfeed) or a feed's redirect could point at the server itself or its network
(127.0.0.1, 10.x, the cloud metadata service at 169.254.169.254...) and show what is there in a preview. Every
connection is checked where it is made, after DNS resolution, for the first request and every redirect
alike, and goes to the address that was checked (no second lookup to trick): loopback, private, link-local,
multicast, unspecified, reserved and other non-global addresses are refused, in every spelling
(`[::ffff:127.0.0.1]`, `2130706433`, `0x7f.1` all resolve to 127.0.0.1), unless `ALLOW_PRIVATE_FEEDS=true`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
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


class PrivateAddressError(FetchError):
    """The URL (or a redirect) leads to the server's own network: refused (see the module's docstring)."""


def is_public(address: str) -> bool:
    """True for a globally routable unicast address; an IPv4-mapped IPv6 address is judged as its IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to public addresses, and to the very address checked."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self.inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from None
        addresses = [str(info[4][0]) for info in infos]
        if not addresses or not all(is_public(address) for address in addresses):
            raise PrivateAddressError("feed_error_private_address", host=host)
        return await self.inner.connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise PrivateAddressError("feed_error_private_address", host="unix socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def public_only_transport() -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport()
    # httpx takes no network backend of its own; its connection pool (httpcore) does.
    pool = transport._pool
    pool._network_backend = _PublicOnlyBackend(pool._network_backend)
    return transport


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
        self,
        client: httpx.AsyncClient | None = None,
        max_bytes: int = MAX_BYTES,
        timeout: httpx.Timeout | None = None,
        *,
        allow_private: bool = False,
    ) -> None:
        self.client = client or httpx.AsyncClient(
            timeout=timeout or TIMEOUT,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT},
            transport=None if allow_private else public_only_transport(),
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
