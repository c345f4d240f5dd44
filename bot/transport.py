"""The HTTP transport between python-telegram-bot and the Bot API, on aiohttp instead of httpx.

python-telegram-bot's default HTTPXRequest costs about a millisecond of CPU per Bot API call; most of it is
httpcore's connection pool, which looks at every pooled connection (a system call each) on every request, so
a bot answering many chats at once spends more time choosing a connection than doing its work. aiohttp's
connector keeps idle connections in a queue. Measured with `make bench` (comment submission).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """A BaseRequest on one aiohttp ClientSession (made on initialize, closed on shutdown)."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 64,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 10.0,
        media_write_timeout: float | None = 20.0,
        on_response: Callable[[int | None], None] | None = None,
    ) -> None:
        # Told each answer's HTTP status, or None when none came (for health and metrics).
        self.on_response = on_response
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                # Bot API answers are JSON; no cookies, and no redirects to follow.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp has no write timeout of its own: a write that stalls shows as no answer within `read`, and a
        # large upload gets the media write timeout added to its read timeout.
        if files:
            write = self._media_write_timeout if isinstance(write_timeout, DefaultValue) else write_timeout
            read = None if read is None else read + (write or 0)
        timeout = aiohttp.ClientTimeout(
            total=None, connect=(pool or 0) + (connect or 0) or None, sock_connect=connect, sock_read=read
        )
        body: Any = _form(request_data) if request_data else None
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as response:
                payload = await response.read()
        except TimeoutError as error:
            self._observe(None)
            raise TimedOut from error
        except aiohttp.ClientError as error:
            self._observe(None)
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error
        self._observe(response.status)
        return response.status, payload

    def _observe(self, status: int | None) -> None:
        if self.on_response is not None:
            self.on_response(status)


def _form(request_data: RequestData) -> aiohttp.FormData | dict[str, str]:
    """Parameters as Telegram takes them: a form, multipart when there are files to upload."""
    parameters = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return parameters
    form = aiohttp.FormData()
    for name, value in parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
