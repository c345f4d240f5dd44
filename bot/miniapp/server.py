"""The Mini App's web server in the bot process: static files and a JSON API behind Telegram's signed initData."""

from __future__ import annotations

import html
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.miniapp.auth import InitDataError, verify
from bot.miniapp.moderation import MiniAppModeration
from bot.miniapp.service import MiniAppService, Viewer
from bot.render.ids import parse_ref
from bot.texts import CATALOGS, LANGUAGES, plain, t
from bot.user_errors import UserFacingError
from storage.comments import ThreadRepository

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
READS_PER_MINUTE = 240
WRITES_PER_MINUTE = 30
STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
# Telegram's own script in production; the page also runs without it (launch parameters in the URL fragment).
CSP = (
    "default-src 'none'; script-src 'self' https://telegram.org; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
)
Handler = Callable[[web.Request, Viewer], Awaitable[dict[str, Any]]]


class RateLimiter:
    """At most `limit` requests per user in any 60 seconds."""

    def __init__(self, limit: int, clock: Clock) -> None:
        self.limit = limit
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}

    def allow(self, user_id: int) -> bool:
        now = self.clock.monotonic()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= 60:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        if len(self._seen) > 10_000:  # forget idle readers
            for key in [k for k, v in self._seen.items() if not v or now - v[-1] >= 60]:
                del self._seen[key]
        return True


class MiniAppServer:
    def __init__(
        self,
        service: MiniAppService,
        moderation: MiniAppModeration,
        token: str,
        *,
        listen: str,
        port: int,
        max_age: float,
        default_lang: str,
        telegram_script: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.telegram_script = telegram_script
        self.service = service
        self.moderation = moderation
        self.token = token
        self.listen, self.port = listen, port
        self.max_age = max_age
        self.default_lang = default_lang
        self.clock = clock
        self.reads = RateLimiter(READS_PER_MINUTE, clock)
        self.writes = RateLimiter(WRITES_PER_MINUTE, clock)
        self._runner: web.AppRunner | None = None
        self.bound_port: int | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._headers])
        api = [
            ("GET", "/api/strings", self._strings),
            ("GET", "/api/story/{story}", self._api(self._story)),
            ("GET", "/api/story/{story}/since/{after}", self._api(self._since)),
            ("POST", "/api/story/{story}/comments", self._api(self._write, write=True)),
            ("GET", "/api/comments/{id}/replies", self._api(self._replies)),
            ("POST", "/api/comments/{id}/vote", self._api(self._vote, write=True)),
            ("POST", "/api/comments/{id}/edit", self._api(self._edit, write=True)),
            ("POST", "/api/comments/{id}/delete", self._api(self._delete, write=True)),
            ("POST", "/api/comments/{id}/report", self._api(self._report, write=True)),
            ("POST", "/api/comments/{id}/moderate", self._api(self._moderate, write=True)),
            ("GET", "/api/queue", self._api(self._queue)),
            ("POST", "/api/queue", self._api(self._review, write=True)),
            ("GET", "/api/stats", self._api(self._stats)),
        ]
        for method, path, handler in api:
            app.router.add_route(method, path, handler)
        app.router.add_get("/", self._static)
        app.router.add_get("/{name}", self._static)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()
        server = site._server  # the port actually bound (tests ask for port 0)
        sockets = getattr(server, "sockets", None) or []
        self.bound_port = int(sockets[0].getsockname()[1]) if sockets else self.port
        log.info("Mini App on http://%s:%s/", self.listen, self.bound_port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ----- plumbing ------------------------------------------------------------------------------------------
    @web.middleware
    async def _headers(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
        response = await handler(request)
        body = response.body if isinstance(response, web.Response) else None
        if isinstance(body, bytes | bytearray) and len(body) > 1024:
            response.enable_compression()  # gzip or deflate, as the browser accepts
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _api(self, handler: Handler, *, write: bool = False) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def endpoint(request: web.Request) -> web.Response:
            lang = self._lang_hint(request)
            raw = request.headers.get("Authorization", "")
            try:
                user = verify(raw.removeprefix("tma ").strip(), self.token, max_age=self.max_age, now=self.clock.time())
            except InitDataError as error:
                log.info("Mini App request refused: %s", error.reason)
                return _error(401, t(lang, "miniapp_unauthorized"))
            limiter = self.writes if write else self.reads
            if not limiter.allow(user.id):
                return _error(429, t(lang, "miniapp_too_many"))
            viewer = await self.service.viewer(user)
            try:
                return web.json_response(await handler(request, viewer), dumps=_dumps)
            except UserFacingError as error:
                return _error(400, t(viewer.lang, error.key, **error.params))
            except BadRequest:
                return _error(400, t(viewer.lang, "miniapp_bad_request"))
            except PermissionError:
                return _error(403, t(viewer.lang, "miniapp_forbidden"))

        return endpoint

    def _lang_hint(self, request: web.Request) -> str:
        lang = request.query.get("lang", "")
        return lang if lang in LANGUAGES else self.default_lang

    async def _strings(self, request: web.Request) -> web.Response:
        lang = self._lang_hint(request)
        prefix = "miniapp_"
        strings = {key[len(prefix) :]: value for key, value in CATALOGS[lang].items() if key.startswith(prefix)}
        return web.json_response(
            {"lang": lang, "strings": strings}, dumps=_dumps, headers={"Cache-Control": "max-age=300"}
        )

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info.get("name", "index.html")
        suffix = "." + name.rpartition(".")[2] if "." in name else ""
        if "/" in name or name.startswith(".") or suffix not in STATIC_TYPES:
            raise web.HTTPNotFound()
        resource = resources.files("bot.miniapp").joinpath("static", name)
        if not resource.is_file():
            raise web.HTTPNotFound()
        body = resource.read_bytes()
        if name == "index.html":
            script = f'<script src="{html.escape(self.telegram_script)}"></script>' if self.telegram_script else ""
            body = body.replace(b"<!--TELEGRAM_SCRIPT-->", script.encode())
        return web.Response(
            body=body,
            content_type=STATIC_TYPES[suffix],
            charset="utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    # ----- the reader's endpoints ------------------------------------------------------------------------------
    async def _story(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        sort = request.query.get("sort", "new")
        if sort not in ("new", "top"):
            raise BadRequest
        return await self.service.story(viewer, request.match_info["story"], sort, request.query.get("cursor"))

    async def _since(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        after = _int(request.match_info["after"], allow_zero=True)
        return await self.service.since(viewer, request.match_info["story"], after)

    async def _replies(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return await self.service.replies(viewer, _comment_id(request), request.query.get("cursor"))

    async def _write(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        body = await _json(request)
        text = body.get("text")
        parent = body.get("parent_id")
        if not isinstance(text, str) or (parent is not None and not _is_id(parent)):
            raise BadRequest
        anonymous = body.get("anonymous") is True
        return await self.service.write(viewer, request.match_info["story"], text, parent, anonymous)

    async def _vote(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        value = (await _json(request)).get("value")
        if value not in (1, -1) or isinstance(value, bool):
            raise BadRequest
        return await self.service.vote(viewer, _comment_id(request), int(value))

    async def _edit(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        text = (await _json(request)).get("text")
        if not isinstance(text, str):
            raise BadRequest
        return await self.service.edit(viewer, _comment_id(request), text)

    async def _delete(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return await self.service.delete(viewer, _comment_id(request))

    async def _report(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return await self.service.report(viewer, _comment_id(request))

    # ----- moderators' endpoints (the role is checked in MiniAppModeration, on the server) ----------------------
    async def _moderate(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        body = await _json(request)
        action = body.get("action")
        if action not in ("hide", "delete", "ban", "mute"):
            raise BadRequest
        return await self.moderation.act(viewer, _comment_id(request), str(action))

    async def _queue(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return await self.moderation.queue(viewer)

    async def _review(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        body = await _json(request)
        approve, reject = body.get("approve", []), body.get("reject", [])
        reason = body.get("reason") or ""
        valid = isinstance(approve, list) and isinstance(reject, list) and isinstance(reason, str)
        if not valid or len(approve) + len(reject) > 100 or not all(_is_id(i) for i in [*approve, *reject]):
            raise BadRequest
        return await self.moderation.review(viewer, approve, reject, reason[:200])

    async def _stats(self, request: web.Request, viewer: Viewer) -> dict[str, Any]:
        return await self.moderation.stats(viewer, request.query.get("story"))


class BadRequest(Exception):
    """A request no page of ours would send."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": plain(message)}, status=status, dumps=_dumps)


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise BadRequest from None
    if not isinstance(body, dict):
        raise BadRequest
    return body


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _int(text: str, *, allow_zero: bool = False) -> int:
    if allow_zero and text == "0":
        return 0
    value = parse_ref(text)
    if value is None:
        raise BadRequest
    return value


def _comment_id(request: web.Request) -> int:
    return _int(request.match_info["id"])


def build_miniapp(settings: Settings, services: Services) -> MiniAppServer:
    """The Mini App over the running bot's services (the composition root calls this)."""
    db = services.db
    comments = services.discussion.comments
    reader = MiniAppService(
        services.discussion, services.roles, services.users, comments, ThreadRepository(db), settings.tz
    )
    moderation = MiniAppModeration(
        services.queue,
        services.sanctions,
        services.discussion,
        comments,
        services.articles,
        services.stats,
        settings.tz,
        clock=services.clock,
    )
    return MiniAppServer(
        reader,
        moderation,
        settings.token,
        listen=settings.miniapp_listen,
        port=settings.miniapp_port,
        max_age=settings.miniapp_init_data_max_age,
        default_lang=settings.bot_language,
        telegram_script=settings.miniapp_telegram_script,
        clock=services.clock,
    )
