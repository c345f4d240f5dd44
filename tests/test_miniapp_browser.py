"""The Mini App in a real browser (Debian's chromium driven by Playwright) against the real bot and the fake
Bot API. Screenshots of the main screens are saved under the test's temporary folder."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

try:
    from playwright.async_api import expect
except ImportError:  # the browser fixture skips (or fails, where a browser is required)
    expect = None  # type: ignore[assignment]

from tests.conftest import OWNER_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.miniapp_helpers import MiniAppClient, init_data
from tests.test_miniapp_api import miniapp  # noqa: F401  (the fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("GOFTOGU_REQUIRE_BROWSER") == "1"
THEME = {"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#707579", "button_color": "#3390ec"}


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("no chromium: install it (apt-get install chromium); GOFTOGU_REQUIRE_BROWSER=1 is set")
        pytest.skip("no chromium installed: the Mini App browser tests are skipped (apt-get install chromium)")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        if REQUIRED:
            raise
        pytest.skip("playwright is not installed")
    async with async_playwright() as driver:
        instance = await driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        await instance.close()


async def open_app(
    browser: Any,
    base: str,
    init: str,
    payload: str,
    *,
    width: int = 360,
    theme: dict[str, str] = THEME,
    before: str | None = None,
) -> Any:
    """The page as Telegram opens it; `before` runs ahead of the page's own scripts (a stand-in Telegram.WebApp)."""
    page = await browser.new_page(viewport={"width": width, "height": 740}, locale="fa-IR")
    if before:
        await page.add_init_script(before)
    page.on("dialog", lambda dialog: dialog.accept())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    fragment = f"tgWebAppData={quote(init)}&tgWebAppStartParam={payload}&tgWebAppThemeParams={quote(json.dumps(theme))}"
    await page.goto(f"{base}/#{fragment}")
    await page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    return page


async def test_a_reader_reads_a_35_comment_tree_and_takes_part(browser, miniapp, tmp_path: Path) -> None:  # noqa: F811
    runner, payload, base, _ = miniapp
    runner.services.discussion.per_minute = 100  # the tree is written in a second; the flood limit has its test
    others = [MiniAppClient(base, init_data(8000 + i, f"خواننده {i}", start=payload)) for i in range(5)]
    # Flood limits are per reader: five readers write the tree between them.
    ids: list[int] = []
    for index in range(35):
        parent = None if index < 10 else ids[(index - 10) // 2 if index < 30 else index - 20]
        writer = others[index % 5]
        body = {"text": f"نظر شمارهٔ {index + 1}", "parent_id": parent}
        ids.append((await writer.post(f"/api/story/{payload}/comments", body))["comment"]["id"])
    hostile = MiniAppClient(base, init_data(8100, "<script>alert(1)</script>", start=payload))
    await hostile.post(f"/api/story/{payload}/comments", {"text": '<img src=x onerror="window.hacked=1">'})

    sara_init = init_data(7001, "سارا", start=payload)
    page = await open_app(browser, base, sara_init, payload)
    screens = tmp_path / "screens"
    screens.mkdir()
    await page.screenshot(path=screens / "thread.png", full_page=True)
    await page.screenshot(path=screens / "thread-phone.png")  # what a 360-px phone shows first
    assert await page.text_content("#count") == "۳۶ نظر"
    assert await page.locator("li.comment").count() >= 30
    # Replies are nested under their parents, with the thread line of ol.replies.
    nested = page.locator(f"#c{ids[0]} > ol.replies > li.comment")
    assert await nested.count() >= 1
    # Hostile text is text: no element was made from it, no script ran.
    assert await page.locator("li.comment img").count() == 0
    assert await page.evaluate("window.hacked") is None
    assert '<img src=x onerror="window.hacked=1">' in await page.text_content("#comments")
    assert "<script>alert(1)</script>" in await page.text_content("#comments")

    # Reply three levels deep.
    target = page.locator(f"#c{ids[10]} > .bubble button", has_text="پاسخ").first
    await target.click()
    assert "پاسخ به" in await page.text_content("#replying-text")
    await page.fill("#text", "پاسخ من در عمق")
    await page.click("#send")
    await page.locator("li.comment.mine", has_text="پاسخ من در عمق").wait_for()
    mine = page.locator("#" + str(await page.locator("li.comment.mine").get_attribute("id")))
    assert await page.locator(f"#c{ids[10]} > ol.replies li.mine").count() == 1

    # Vote, take it back, report someone else's comment.
    vote = page.locator(f"#c{ids[1]} > .bubble .actions button").first
    await vote.click()
    await expect(vote).to_contain_text("۱")
    await page.locator(f"#c{ids[2]} > .bubble button", has_text="گزارش").click()
    await page.wait_for_selector("#toast:not([hidden])")
    assert "گزارش" in await page.text_content("#toast")

    # Edit and delete my own comment.
    await mine.locator(":scope > .bubble button", has_text="ویرایش").click()
    await mine.locator("textarea").fill("پاسخ ویرایش‌شدهٔ من")
    await mine.locator("button", has_text="ذخیره").click()
    await page.wait_for_selector("li.comment.mine >> text=پاسخ ویرایش‌شدهٔ من")
    await page.locator("li.comment.mine > .bubble button", has_text="پاک کردن").click()
    await page.wait_for_selector("li.comment.mine.deleted")
    assert page.errors == []

    # A comment written elsewhere appears without reloading.
    await others[1].post(f"/api/story/{payload}/comments", {"text": "نظر تازه از جای دیگر"})
    await page.wait_for_selector("li.comment.new >> text=نظر تازه از جای دیگر", timeout=10_000)
    await page.screenshot(path=screens / "after-journey.png", full_page=True)
    with __import__("sqlite3").connect(runner.settings.database_path) as conn:
        assert conn.execute("SELECT status FROM comments WHERE text = 'پاسخ ویرایش‌شدهٔ من'").fetchone() == ("deleted",)


async def test_a_moderator_hides_bans_reviews_and_reads_the_charts(browser, miniapp, tmp_path: Path) -> None:  # noqa: F811
    runner, payload, base, _ = miniapp
    reader = MiniAppClient(base, init_data(7001, "سارا", start=payload))
    spam = (await reader.post(f"/api/story/{payload}/comments", {"text": "تبلیغ"}))["comment"]["id"]
    other = MiniAppClient(base, init_data(7002, "رضا", start=payload))
    held = [
        (await other.post(f"/api/story/{payload}/comments", {"text": f"نظر {i}"}))["comment"]["id"] for i in range(2)
    ]

    page = await open_app(browser, base, init_data(OWNER_ID, "Owner", start=payload), payload)
    assert await page.is_visible("#tabs")
    await page.locator(f"#c{spam} [data-mod=ban]").click()
    await page.wait_for_selector("#toast:not([hidden])")
    for comment_id in held:
        await page.locator(f"#c{comment_id} [data-mod=hide]").click()
        await page.wait_for_selector(f"#c{comment_id}.deleted")
    await page.click("[data-tab=queue]")
    await page.wait_for_selector(f"#q{held[0]}")
    assert "خبر:" in await page.text_content(f"#q{held[0]}")
    for comment_id in held:
        await page.check(f"#q{comment_id} input[type=checkbox]")
    await page.screenshot(path=tmp_path / "queue.png", full_page=True)
    await page.click("#approve-selected")
    await page.wait_for_selector("#queue-items >> text=صف بررسی خالی است")
    await page.click("[data-tab=stats]")
    await page.wait_for_selector(".chart svg")
    assert await page.locator(".chart svg").count() == 2
    heights = [
        float(h or 0)
        for h in await page.locator("rect.bar").evaluate_all("bars => bars.map(b => b.getAttribute('height'))")
    ]
    assert sum(1 for h in heights if h > 0) == 2  # this hour in the story's chart, today in the channel's
    await page.screenshot(path=tmp_path / "stats.png", full_page=True)
    assert page.errors == []
    with __import__("sqlite3").connect(runner.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM bans WHERE user_id = 7001").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM comments WHERE status = 'published'").fetchone() == (3,)


async def test_an_english_reader_gets_a_left_to_right_english_page(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    page = await open_app(browser, base, init_data(7003, "Kate", lang="en", start=payload), payload)
    assert await page.get_attribute("html", "dir") == "ltr"
    assert await page.text_content("[data-sort=new]") == "Newest"
    assert await page.text_content("#count") == "0 comments"


async def test_a_reader_who_chose_english_in_the_chat_gets_the_app_in_english(
    browser,
    miniapp,  # noqa: F811
    fake: FakeTelegram,
) -> None:
    """Telegram in Persian, English chosen with /language: the chat speaks English, so does the app (its
    page used to follow Telegram's language alone, while its dates and errors followed the choice)."""
    _, payload, base, _ = miniapp
    reader = FakeUser(fake, "Kate", user_id=7004, language_code="fa")
    await reader.send("/language")
    choice = await reader.next_message()
    await reader.press(choice, "English")
    await fake.wait_for(lambda: "speaks English" in choice.text)
    page = await open_app(browser, base, init_data(7004, "Kate", lang="fa", start=payload), payload)
    await expect(page.locator("#count")).to_have_text("0 comments")
    assert await page.get_attribute("html", "dir") == "ltr"
    assert await page.text_content("[data-sort=new]") == "Newest"


async def test_without_launch_data_the_page_says_to_open_it_from_telegram(browser, miniapp) -> None:  # noqa: F811
    _, _, base, _ = miniapp
    page = await browser.new_page(locale="fa-IR")
    await page.goto(base + "/")
    await expect(page.locator("#status")).to_contain_text("تلگرام")
    assert "تلگرام" in await page.text_content("#status")
