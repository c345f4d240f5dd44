"""`make bench`, the Mini App: API time for a story with 100,000 comments, comment writing through the API
against the chat path in the same bot process, and the page's weight and first render in headless Chromium."""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp

from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.miniapp_helpers import init_data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def bench_miniapp_api(total: int = 100_000, samples: int = 300) -> None:
    """The first screen (20 top-level comments with replies four levels down) of a 100,000-comment story."""
    from bot.discussion.service import DiscussionService
    from bot.miniapp.service import MiniAppService
    from bot.moderation.roles import Role
    from tests.bench import seed_discussion

    print(f"\n== Mini App API: first screen of a story with {total:,} comments (server time, no network)")
    with tempfile.TemporaryDirectory() as tmp:
        database, service, public_id = await seed_discussion(Path(tmp), total)
        try:
            from bot.miniapp.service import Viewer
            from storage.comments import ThreadRepository

            discussion: DiscussionService = service
            reader = MiniAppService(discussion, None, discussion.users, discussion.comments,  # type: ignore[arg-type]
                                    ThreadRepository(database), None)  # fmt: skip
            viewer = Viewer(4242, "خواننده", "fa", Role.USER)
            timings = []
            for n in range(samples):
                started = time.perf_counter()
                data = await reader.story(viewer, f"a{public_id}", "top" if n % 2 else "new", None)
                json.dumps(data, ensure_ascii=False)
                timings.append((time.perf_counter() - started) * 1000)
            shown = _count(data["comments"])
            timings.sort()
            print(f"  {samples} first screens ({shown} comments each, newest and top): p50 "
                  f"{statistics.median(timings):.2f} ms, p99 {timings[int(len(timings) * 0.99) - 1]:.2f} ms "
                  f"(target p99 < 20 ms)")  # fmt: skip
        finally:
            await database.close()


def _count(nodes: list[dict]) -> int:
    return sum(1 + _count(node["replies"]) for node in nodes)


async def bench_miniapp_writes(readers_count: int = 60, rounds: int = 10, trials: int = 3) -> None:
    """Comments written through the Mini App API and through the chat, by the same bot process, in turns."""
    from tests.bench import burst_rounds, chat_comment_steps, post_bench_story, start_process

    print(f"\n== Mini App comment writing vs the chat path: {readers_count} readers × {rounds} comments, "
          f"{trials} alternating trials, one bot process")  # fmt: skip
    fake = FakeTelegram(TOKEN)
    await fake.start()
    fake.add_channel(-1001000, "news_bench")
    port = free_port()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            bot, _ = await start_process(
                fake, workdir, sys.executable, "-m", "bot", "run", SEND_RATE_PER_SECOND="10000",
                CHANNEL_ID="@news_bench", COMMENTS_PER_MINUTE="100000", NEW_USER_COOLDOWN_SECONDS="0", MINIAPP_URL="https://bench.example/app/",
                MINIAPP_PORT=str(port),
            )  # fmt: skip
            payload = f"a{await post_bench_story(workdir / 'bot.sqlite3')}"
            base = f"http://127.0.0.1:{port}"
            ratios = []
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=readers_count)) as http:
                for trial in range(trials):
                    readers = [FakeUser(fake, f"chat{trial}-{i}") for i in range(readers_count)]
                    press_write, submit = await chat_comment_steps(readers, payload, timeout=30)
                    chat = await burst_rounds(readers, press_write, submit, rounds)
                    writers = [FakeUser(fake, f"app{trial}-{i}") for i in range(readers_count)]
                    inits = {w.id: init_data(w.id, w.json["first_name"], start=payload) for w in writers}

                    async def open_story(writer: FakeUser, inits: dict = inits) -> None:
                        headers = {"Authorization": f"tma {inits[writer.id]}"}
                        async with http.get(f"{base}/api/story/{payload}", headers=headers) as response:
                            await response.read()

                    async def write(writer: FakeUser, i: int, inits: dict = inits) -> None:
                        headers = {"Authorization": f"tma {inits[writer.id]}"}
                        body = {"text": f"نظر شماره {i} از {writer.id}"}
                        async with http.post(f"{base}/api/story/{payload}/comments", json=body, headers=headers) as r:
                            assert r.status == 200, await r.text()

                    app = await burst_rounds(writers, open_story, write, rounds)
                    ratios.append(app / chat)
                    print(f"  trial {trial + 1}: Mini App {app:.0f} comments/s; chat {chat:.0f} comments/s; "
                          f"ratio {app / chat:.2f}")  # fmt: skip
            print(f"  median ratio {sorted(ratios)[len(ratios) // 2]:.2f} (target ≥ 0.80)")
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
    finally:
        await fake.stop()


async def bench_miniapp_page(top: int = 20, replies: int = 3, second: int = 2) -> None:
    """Bytes transferred for the first screen and its first render with 200 comments, in headless Chromium."""
    chromium = shutil.which("chromium")
    print(f"\n== Mini App page: first screen with {top + top * replies + top * replies * second} comments")
    try:
        from playwright.async_api import Response, async_playwright
    except ImportError:
        print("  (playwright is not installed: skipped)")
        return
    if chromium is None:
        print("  (no chromium: skipped)")
        return
    from tests.bench import post_bench_story, start_process

    fake = FakeTelegram(TOKEN)
    await fake.start()
    port = free_port()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            bot, _ = await start_process(
                fake, workdir, sys.executable, "-m", "bot", "run", COMMENTS_PER_MINUTE="100000",
                NEW_USER_COOLDOWN_SECONDS="0",
                MINIAPP_URL="https://bench.example/app/", MINIAPP_PORT=str(port), MINIAPP_TELEGRAM_SCRIPT="none",
            )  # fmt: skip
            payload, base = f"a{await post_bench_story(workdir / 'bot.sqlite3')}", f"http://127.0.0.1:{port}"
            init = init_data(5555, "خواننده", start=payload)
            # Ten writers: one reader may write at most WRITES_PER_MINUTE times a minute.
            writers = [init_data(6000 + i, f"نویسنده {i}", start=payload) for i in range(10)]
            written = [0]
            async with aiohttp.ClientSession() as http:

                async def post(text: str, parent: int | None) -> int:
                    body = {"text": text, "parent_id": parent}
                    url = f"{base}/api/story/{payload}/comments"
                    written[0] += 1
                    headers = {"Authorization": f"tma {writers[written[0] % len(writers)]}"}
                    async with http.post(url, json=body, headers=headers) as response:
                        answer = await response.json()
                        assert "comment" in answer, answer
                        return int(answer["comment"]["id"])

                for i in range(top):
                    root = await post(f"نظر {i} " + "واژه " * 20, None)
                    for j in range(replies):
                        child = await post(f"پاسخ {i}.{j} " + "واژه " * 12, root)
                        for k in range(second):
                            await post(f"پاسخ {i}.{j}.{k} " + "واژه " * 8, child)
            async with async_playwright() as driver:
                browser = await driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                renders, loads, transferred = [], [], 0
                for attempt in range(4):
                    page = await browser.new_page(viewport={"width": 360, "height": 740})
                    responses: list[Response] = []
                    # a function of our own: playwright marks its handlers, which a builtin method cannot carry
                    page.on("response", functools.partial(list.append, responses))
                    await page.goto(f"{base}/#tgWebAppData={quote(init)}&tgWebAppStartParam={payload}")
                    await page.wait_for_selector("body[data-ready='1']", timeout=30_000)
                    first = await page.evaluate("performance.getEntriesByName('first-screen')[0].startTime")
                    data = await page.evaluate("performance.getEntriesByName('first-data')[0].startTime")
                    shown = await page.locator("li.comment").count()
                    if attempt:  # the first load warms the server's and the browser's caches
                        renders.append(first - data)
                        loads.append(first)
                    else:
                        transferred = sum([(await r.request.sizes())["responseBodySize"] for r in responses])
                    await page.close()
                await browser.close()
            print(f"  transferred for the first screen: {transferred / 1024:.1f} KB (target < 100 KB), "
                  f"{shown} comments shown")  # fmt: skip
            print(f"  first render of the {shown} comments (data in → on screen): median "
                  f"{statistics.median(renders):.0f} ms over {len(renders)} loads (target < 300 ms); from navigation "
                  f"(page, strings and data fetched, then rendered): {statistics.median(loads):.0f} ms")  # fmt: skip
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
    finally:
        await fake.stop()


def run_all() -> None:
    asyncio.run(bench_miniapp_api())
    asyncio.run(bench_miniapp_writes())
    asyncio.run(bench_miniapp_page())
