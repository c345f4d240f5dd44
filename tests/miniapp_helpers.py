"""Helpers for Mini App tests: launch data signed as Telegram signs it, and a client of the JSON API."""

from __future__ import annotations

import json
import time
from typing import Any

import aiohttp

from bot.miniapp.auth import sign
from tests.conftest import TOKEN


def init_data(
    user_id: int,
    first_name: str = "خواننده",
    *,
    lang: str = "fa",
    start: str | None = None,
    age: float = 0,
    token: str = TOKEN,
    allows_write: bool = False,
) -> str:
    fields = {
        "query_id": "AAE-test",
        "user": json.dumps(
            {"id": user_id, "first_name": first_name, "language_code": lang, "allows_write_to_pm": allows_write},
            ensure_ascii=False,
        ),
        "auth_date": str(int(time.time() - age)),
    }
    if start:
        fields["start_param"] = start
    return sign(fields, token)


class MiniAppClient:
    def __init__(self, base: str, init: str) -> None:
        self.base = base
        self.init = init

    async def call(self, method: str, path: str, body: Any = None, *, init: str | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"tma {self.init if init is None else init}"}
        async with (
            aiohttp.ClientSession() as http,
            http.request(method, self.base + path, json=body, headers=headers) as response,
        ):
            return response.status, await response.json(content_type=None)

    async def get(self, path: str) -> Any:
        status, data = await self.call("GET", path)
        assert status == 200, (status, data)
        return data

    async def post(self, path: str, body: Any = None) -> Any:
        status, data = await self.call("POST", path, {} if body is None else body)
        assert status == 200, (status, data)
        return data
