"""The Mini App as a reader on a phone finds it: sending with the connection gone, Telegram's dark theme, deep
threads and long unbroken text on a 360-px screen, Telegram's back button, touch sizes."""

from __future__ import annotations

from tests.miniapp_helpers import MiniAppClient, init_data
from tests.test_miniapp_api import miniapp  # noqa: F401  (the fixture)
from tests.test_miniapp_browser import browser, open_app  # noqa: F401  (the fixture)


async def write(client: MiniAppClient, payload: str, text: str, parent: int | None = None) -> int:
    body = {"text": text, "parent_id": parent}
    return int((await client.post(f"/api/story/{payload}/comments", body))["comment"]["id"])


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
    await page.wait_for_function("document.querySelector('#toast').textContent.includes('اتصال')")
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
