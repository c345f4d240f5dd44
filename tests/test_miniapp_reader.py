"""The Mini App as a reader on a phone finds it: sending with the connection gone, Telegram's dark theme, deep
threads and long unbroken text on a 360-px screen, Telegram's back button, touch sizes."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.conftest import OWNER_ID
from tests.miniapp_helpers import MiniAppClient, init_data
from tests.test_miniapp_api import comments, miniapp  # noqa: F401  (the fixture)
from tests.test_miniapp_browser import THEME, browser, open_app  # noqa: F401  (the fixture)


async def write(client: MiniAppClient, payload: str, text: str, parent: int | None = None) -> int:
    body = {"text": text, "parent_id": parent}
    return int((await client.post(f"/api/story/{payload}/comments", body))["comment"]["id"])


async def busy_discussion(miniapp: Any, count: int) -> list[int]:  # noqa: F811
    """`count` top-level comments by three readers, oldest first."""
    runner, payload, base, _ = miniapp
    runner.services.discussion.per_minute = 100  # written in a second; the flood limit has its own test
    writers = [MiniAppClient(base, init_data(8000 + i, f"خواننده {i}", start=payload)) for i in range(3)]
    return [await write(writers[i % 3], payload, f"نظر {i}") for i in range(count)]


async def top_level_ids(page: Any) -> list[int]:
    return [int(i[1:]) for i in await page.locator("#comments > li.comment").evaluate_all("l => l.map(i => i.id)")]


async def scroll_to_the_end(page: Any, expected: int) -> list[int]:
    """The top-level comments shown once the reader has scrolled down until `expected` are (or ten tries)."""
    for _ in range(10):
        if len(await top_level_ids(page)) >= expected:
            break
        await page.locator("#sentinel").scroll_into_view_if_needed()
        await page.wait_for_timeout(400)
    return await top_level_ids(page)


async def test_a_comment_sent_offline_or_while_the_server_restarts_stays_in_the_box(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload)
    typed = "نظری که نباید گم شود"
    await page.fill("#text", typed)
    await page.context.set_offline(True)
    await page.click("#send")
    await page.wait_for_selector("#toast:not([hidden])")
    assert "اتصال" in await page.text_content("#toast")  # not the browser's "Failed to fetch"
    assert await page.input_value("#text") == typed
    await page.context.set_offline(False)

    # The bot restarting: nothing listens on the port for a moment.
    await page.route("**/comments*", lambda route: route.abort("connectionrefused"))
    await page.click("#send")
    await page.wait_for_function("() => document.querySelector('#toast').textContent.includes('اتصال')")
    assert await page.input_value("#text") == typed and not await page.is_disabled("#send")
    await page.unroute("**/comments*")
    await page.click("#send")
    await page.locator("li.comment.mine", has_text=typed).wait_for()
    assert await page.input_value("#text") == ""
    assert page.errors == []


# Telegram Desktop's night theme as it reaches a Mini App: no secondary_bg_color among the parameters.
DARK = {"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499", "link_color": "#6ab3f3",
        "button_color": "#5288c1", "button_text_color": "#ffffff"}  # fmt: skip

CONTRAST = """(selector) => {
  // Chromium gives color-mix() results as color(srgb r g b) with parts from 0 to 1.
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map((v) => Number(v) * (c.startsWith("color(") ? 255 : 1));
  const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => { const [r, g, b] = rgb(c).map(linear); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const node = document.querySelector(selector);
  let back = node, bg = "rgba(0, 0, 0, 0)";
  while (back && (bg = getComputedStyle(back).backgroundColor) === "rgba(0, 0, 0, 0)") back = back.parentElement;
  const [a, b] = [lum(getComputedStyle(node).color), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


async def test_telegrams_dark_theme_without_a_secondary_colour_is_legible(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    await write(MiniAppClient(base, init_data(7002, "رضا", start=payload)), payload, "نظری در شب")
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload, theme=DARK)
    for selector in ("li.comment .text", "li.comment .author", "#story-title", "li.comment .actions button"):
        assert await page.evaluate(CONTRAST, selector) >= 4.5, selector
    assert await page.evaluate(CONTRAST, "li.comment .when") >= 3  # Telegram's own hint colour on its own background
    await page.fill("#text", "x")
    assert await page.evaluate(CONTRAST, "#text") >= 4.5


async def test_a_deep_thread_and_unbroken_text_fit_a_phone(browser, miniapp, tmp_path: Path) -> None:  # noqa: F811
    runner, payload, base, _ = miniapp
    runner.services.discussion.per_minute = 100
    readers = [MiniAppClient(base, init_data(8000 + i, f"خواننده {i}", start=payload)) for i in range(2)]
    url = "https://example.org/" + "a" * 300
    parent = await write(readers[0], payload, url)
    chain = [parent]
    for depth in range(1, 13):
        chain.append(await write(readers[depth % 2], payload, f"پاسخ در عمق {depth} " + "و" * 120 + " 😀🇮🇷", chain[-1]))
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload)
    while not await page.locator(f"#c{chain[-1]}").count():
        await page.locator("button.more").last.click()
        await page.wait_for_timeout(300)
    deepest = await page.locator(f"#c{chain[-1]} > .bubble").bounding_box()
    assert deepest["width"] >= 240, deepest  # two thirds of the screen, however deep the thread
    # The reader still sees whom the flattened reply answers.
    answered = page.locator(f"#c{chain[-1]} > .bubble .reply-to")
    assert await answered.is_visible() and await answered.text_content() == "↩ خواننده 1"
    assert not await page.locator(f"#c{chain[1]} > .bubble .reply-to").is_visible()  # indented: no need
    await page.locator(f"#c{chain[-1]}").scroll_into_view_if_needed()
    await page.screenshot(path=tmp_path / "deep-thread.png")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.errors == []


async def test_buttons_are_big_enough_to_touch_and_typing_does_not_zoom(browser, miniapp, tmp_path: Path) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    await write(MiniAppClient(base, init_data(7002, "رضا", start=payload)), payload, "نظر رضا")
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload)
    boxes: list[Any] = []
    for handle in await page.locator("button:visible, label.anon").element_handles():
        boxes.append((await handle.text_content(), await handle.bounding_box()))
    small = [(text, box["width"], box["height"]) for text, box in boxes if box["height"] < 44 or box["width"] < 44]
    assert small == []
    # iOS zooms the page into a field whose text is smaller than 16 px.
    assert await page.evaluate("parseFloat(getComputedStyle(document.querySelector('#text')).fontSize)") >= 16
    # Scrolled to the end while replying, the last comment is above the composer, not under it.
    await page.locator("li.comment .actions button", has_text="پاسخ").first.click()
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = await page.locator("li.comment > .bubble").last.bounding_box()
    composer = await page.locator("#composer").bounding_box()
    assert last["y"] + last["height"] <= composer["y"], (last, composer)
    await page.screenshot(path=tmp_path / "replying.png")


# Telegram.WebApp as telegram-web-app.js gives it to the page, reduced to what the page uses; it records calls.
WEB_APP = """window.Telegram = { WebApp: {
  initData: %s, initDataUnsafe: {}, themeParams: %s, colorScheme: "light", version: "7.0", handlers: {}, back: null,
  ready() {}, expand() {},
  BackButton: { isVisible: false, show() { this.isVisible = true; }, hide() { this.isVisible = false; },
    onClick(callback) { window.Telegram.WebApp.back = callback; }, offClick() {} },
  isClosingConfirmationEnabled: false,
  enableClosingConfirmation() { this.isClosingConfirmationEnabled = true; },
  disableClosingConfirmation() { this.isClosingConfirmationEnabled = false; },
  onEvent(name, callback) { (this.handlers[name] ||= []).push(callback); },
  isVersionAtLeast(version) { return parseFloat(version) <= 7.0; },
  asked: [], answer: false,
  showConfirm(message, callback) { this.asked.push(message); setTimeout(() => callback(this.answer), 0); },
} };"""


def web_app(init: str, theme: dict[str, str]) -> str:
    return WEB_APP % (json.dumps(init), json.dumps(theme))


async def test_telegrams_back_button_closes_what_the_reader_opened_and_typed_text_is_not_closed_away(
    browser,  # noqa: F811
    miniapp,  # noqa: F811
) -> None:
    _, payload, base, _ = miniapp
    await write(MiniAppClient(base, init_data(7002, "رضا", start=payload)), payload, "نظر رضا")
    init = init_data(7001, "سارا", start=payload)
    page = await open_app(browser, base, init, payload, before=web_app(init, THEME))
    back = "Telegram.WebApp.BackButton.isVisible"
    assert await page.evaluate(back) is False
    await page.locator("li.comment .actions button", has_text="پاسخ").click()
    assert await page.evaluate(back) is True
    await page.evaluate("Telegram.WebApp.back()")
    assert await page.is_hidden("#replying") and await page.evaluate(back) is False

    # Text in the box: closing the app (swipe down, Android's back) asks first.
    await page.locator("#text").press_sequentially("نیمه‌کاره")
    assert await page.evaluate("Telegram.WebApp.isClosingConfirmationEnabled") is True
    await page.fill("#text", "")
    await page.locator("#text").dispatch_event("input")
    assert await page.evaluate("Telegram.WebApp.isClosingConfirmationEnabled") is False

    # The reader switches Telegram to its night theme with the page open.
    await page.evaluate(f"Telegram.WebApp.themeParams = {json.dumps(DARK)}")
    await page.evaluate("for (const f of Telegram.WebApp.handlers.themeChanged || []) f.call(Telegram.WebApp)")
    assert await page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
    assert await page.evaluate(CONTRAST, "li.comment .text") >= 4.5
    assert page.errors == []


async def test_a_moderators_back_button_returns_from_the_queue_to_the_discussion(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    init = init_data(OWNER_ID, "Owner", start=payload)
    page = await open_app(browser, base, init, payload, before=web_app(init, THEME))
    await page.click("[data-tab=queue]")
    assert await page.evaluate("Telegram.WebApp.BackButton.isVisible") is True
    await page.evaluate("Telegram.WebApp.back()")
    assert await page.is_visible("#thread") and await page.is_hidden("#queue")
    assert await page.evaluate("Telegram.WebApp.BackButton.isVisible") is False


async def test_a_busy_discussion_scrolls_page_by_page_without_gaps_or_repeats(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    ids = await busy_discussion(miniapp, 47)
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload)
    assert len(await top_level_ids(page)) == 20
    assert await scroll_to_the_end(page, len(ids)) == ids[::-1]  # newest first, each once
    assert await page.text_content("#count") == "۴۷ نظر"
    await page.click("[data-sort=top]")
    await page.wait_for_function("() => document.querySelectorAll('#comments > li.comment').length === 20")
    assert sorted(await scroll_to_the_end(page, len(ids))) == ids


async def test_stale_or_forged_launch_data_gets_a_clear_refusal_on_the_page(browser, miniapp) -> None:  # noqa: F811
    runner, payload, base, _ = miniapp
    stale = init_data(7001, "سارا", start=payload, age=2 * 86400)
    forged = init_data(7001, "سارا", start=payload).replace("7001", "7002")
    for init in (stale, forged):
        page = await browser.new_page(locale="fa-IR")
        await page.goto(f"{base}/#tgWebAppData={quote(init)}&tgWebAppStartParam={payload}")
        await page.locator("#status", has_text="تلگرام این درخواست را تأیید نکرد").wait_for()
        assert await page.is_hidden("#composer")
    assert await MiniAppClient(base, stale).call("POST", f"/api/story/{payload}/comments", {"text": "x"}) == (
        401,
        {"error": "تلگرام این درخواست را تأیید نکرد. صفحه را ببندید و دوباره از دکمهٔ «💬 نظرات» باز کنید."},
    )
    assert comments(runner) == []


async def test_an_english_reader_reads_one_comment_and_one_more_reply_in_the_singular(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    kate = MiniAppClient(base, init_data(7003, "Kate", lang="en", start=payload))
    tom = MiniAppClient(base, init_data(7004, "Tom", lang="en", start=payload))
    first = await write(kate, payload, "One comment")
    ann = init_data(7005, "Ann", lang="en", start=payload)
    page = await open_app(browser, base, ann, payload)
    assert await page.text_content("#count") == "1 comment"
    for i in range(4):
        await write(tom if i % 2 else kate, payload, f"reply {i}", first)
    await page.reload()
    await page.wait_for_selector("body[data-ready='1']")
    assert await page.text_content(f"#c{first} > button.more") == "1 more reply"
    assert await page.text_content("#count") == "5 comments"


async def test_changing_the_order_while_a_page_is_loading_shows_the_new_order_only(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    ids = await busy_discussion(miniapp, 25)
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload)

    async def slow(route: Any) -> None:  # the second page of «newest» on a slow connection
        await asyncio.sleep(1.5)
        await route.continue_()

    await page.route("**/api/story/*?sort=new&cursor=*", slow)
    await page.locator("#sentinel").scroll_into_view_if_needed()
    await page.wait_for_timeout(200)
    await page.click("[data-sort=top]")
    await page.wait_for_timeout(2500)
    shown = await top_level_ids(page)
    assert len(shown) == 20 and len(set(shown)) == 20, shown
    assert sorted(await scroll_to_the_end(page, len(ids))) == ids


async def test_a_half_written_comment_is_back_when_the_reader_opens_the_story_again(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    await write(MiniAppClient(base, init_data(7002, "رضا", start=payload)), payload, "نظر رضا")
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload)
    await page.locator("#text").press_sequentially("نیمه‌کاره ماند")
    await page.reload()  # Telegram closed the app (its closing confirmation does not hold everywhere)
    await page.wait_for_selector("body[data-ready='1']")
    assert await page.input_value("#text") == "نیمه‌کاره ماند"
    await page.click("#send")
    await page.locator("li.comment.mine", has_text="نیمه‌کاره ماند").wait_for()
    await page.reload()
    await page.wait_for_selector("body[data-ready='1']")
    assert await page.input_value("#text") == ""
    await page.locator("#text").press_sequentially("x")
    assert await page.evaluate("Object.keys(localStorage)") == [f"draft:7001:{payload}"]  # this reader's, this story's


async def test_a_report_is_filed_only_once_the_reader_confirms_it_in_telegrams_own_dialog(browser, miniapp) -> None:  # noqa: F811
    runner, payload, base, _ = miniapp
    his = await write(MiniAppClient(base, init_data(7002, "رضا", start=payload)), payload, "نظر رضا")
    init = init_data(7001, "سارا", start=payload)
    page = await open_app(browser, base, init, payload, before=web_app(init, THEME))
    report = page.locator(f"#c{his} .actions button", has_text="گزارش")
    await report.click()  # a thumb meant «پاسخ», next to it
    await page.wait_for_function("() => Telegram.WebApp.asked.length === 1")
    assert await page.evaluate("Telegram.WebApp.asked") == ["این نظر برای بررسی مدیران گزارش شود؟"]
    await page.wait_for_timeout(300)
    with sqlite3.connect(runner.settings.database_path) as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone() == (0,)
    await page.evaluate("Telegram.WebApp.answer = true")
    await report.click()
    await page.locator("#toast", has_text="گزارش شما").wait_for()
    with sqlite3.connect(runner.settings.database_path) as conn:
        assert conn.execute("SELECT user_id FROM reports").fetchall() == [(7001,)]


async def test_an_english_reader_reads_the_persian_story_right_to_left(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    page = await open_app(browser, base, init_data(7003, "Kate", lang="en", start=payload), payload)
    assert await page.get_attribute("html", "dir") == "ltr"
    direction = "selector => getComputedStyle(document.querySelector(selector)).direction"
    for selector in ("#story-title", "#story-summary"):
        assert await page.evaluate(direction, selector) == "rtl", selector  # its full stop at its end, on the left
    meta = await page.text_content("#story-meta")
    assert meta.startswith("برنا · ") and "December" in meta
    assert await page.evaluate(direction, "#story-meta") == "ltr"  # the English date reads left to right


async def test_the_comment_box_takes_the_direction_of_what_is_typed(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    await write(MiniAppClient(base, init_data(7003, "Kate", lang="en", start=payload)), payload, "Good point")
    direction = "selector => getComputedStyle(document.querySelector(selector)).direction"
    page = await open_app(browser, base, init_data(7004, "Tom", lang="en", start=payload), payload)
    await page.locator("#text").press_sequentially("به نظر من")  # an English page, a Persian comment
    assert await page.evaluate(direction, "#text") == "rtl"
    persian = await open_app(browser, base, init_data(7003, "Kate", lang="fa", start=payload), payload)
    await persian.locator("li.comment.mine .actions button", has_text="ویرایش").click()
    assert await persian.evaluate(direction, "li.comment.mine textarea") == "ltr"  # editing «Good point»


async def test_a_moderators_buttons_are_legible_in_the_dark_theme(browser, miniapp) -> None:  # noqa: F811
    _, payload, base, _ = miniapp
    await write(MiniAppClient(base, init_data(7002, "رضا", start=payload)), payload, "نظر رضا")
    page = await open_app(browser, base, init_data(OWNER_ID, "Owner", start=payload), payload, theme=DARK)
    assert await page.evaluate(CONTRAST, "[data-mod=ban]") >= 4.5
    light = await open_app(browser, base, init_data(OWNER_ID, "Owner", start=payload), payload)
    assert await light.evaluate(CONTRAST, "[data-mod=ban]") >= 4.5


async def test_a_reader_at_a_keyboard_sends_with_ctrl_enter_and_enter_starts_a_new_line(browser, miniapp) -> None:  # noqa: F811
    runner, payload, base, _ = miniapp
    page = await open_app(browser, base, init_data(7001, "سارا", start=payload), payload, width=900)
    await page.locator("#text").press_sequentially("سطر یک")
    await page.keyboard.press("Enter")
    await page.locator("#text").press_sequentially("سطر دو")
    assert await page.input_value("#text") == "سطر یک\nسطر دو"
    await page.keyboard.press("Control+Enter")
    await page.keyboard.press("Control+Enter")  # impatient: still one comment
    await page.locator("li.comment.mine", has_text="سطر دو").wait_for()
    assert await page.input_value("#text") == ""
    await page.wait_for_timeout(500)
    assert [row[4] for row in comments(runner)] == ["سطر یک\nسطر دو"]
