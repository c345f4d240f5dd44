"""A local HTTP server that serves feeds and pages for tests, including broken and hostile ones."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from email.utils import formatdate
from html import escape
from pathlib import Path
from typing import Any

from aiohttp import web

FIXTURES = Path(__file__).with_name("fixtures")


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "application/rss+xml"
    delay: float = 0.0
    etag: str | None = None
    location: str | None = None  # a redirect (status 302) to this URL
    charset: str | None = None  # in the Content-Type header


def fixture_articles() -> list[dict[str, Any]]:
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def rss(items: list[dict[str, Any]], title: str = "خبرگزاری آزمایشی") -> bytes:
    """An RSS 2.0 document; each item: title, text, link, guid, published (unix time; None: no date), image and
    categories (optional)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>']
    for item in items:
        description = "".join(f"<p>{escape(p)}</p>" for p in item["text"].split("\n"))
        enclosure = (
            f'<enclosure url="{escape(item["image"])}" type="image/jpeg" length="1"/>' if item.get("image") else ""
        )
        parts.append(
            f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
            f"<guid>{escape(item['guid'])}</guid>"
            + (f"<pubDate>{formatdate(item['published'], usegmt=True)}</pubDate>" if item.get("published") else "")
            + f"<description>{escape(description)}</description>{enclosure}"
            + "".join(f"<category>{escape(c)}</category>" for c in item.get("categories", []))
            + "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | str, **options: Any) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self.routes[path] = Route(b"", status=302, location=location)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers)))
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.etag and request.headers.get("If-None-Match") == route.etag:
            return web.Response(status=304)
        headers = {"ETag": route.etag} if route.etag else {}
        if route.location:
            headers["Location"] = route.location
        return web.Response(status=route.status, body=route.body, content_type=route.content_type,
                            charset=route.charset, headers=headers)  # fmt: skip
