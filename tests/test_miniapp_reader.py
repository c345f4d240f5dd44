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
