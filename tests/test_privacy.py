"""/mydata sends a JSON export of what the bot keeps about a reader; /forgetme deletes it after a confirmation."""

from __future__ import annotations

import json
import re
import sqlite3

from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_discussion import answer, comment, comment_id, open_discussion, reply


async def test_mydata_exports_and_forgetme_deletes(posted, fake: FakeTelegram) -> None:
    runner, payload, _post = posted
    reader, replier = FakeUser(fake, "مینا", username="mina_r"), FakeUser(fake, "امید")
    page = await open_discussion(reader, payload)
    await comment(reader, page, "نوشتن نظر", "نظر مینا دربارهٔ خبر")
    page = await open_discussion(replier, payload)
    await reply(replier, page, comment_id(runner, "نظر مینا دربارهٔ خبر"), "پاسخ امید به مینا")

    await reader.send("/subscribe رئیس‌جمهور")
    await answer(reader)
    await answer(reader)
    await reader.send("/mydata")
    document = await answer(reader)
    assert "JSON" in document.caption
    raw = fake.documents[(reader.chat.id, document.message_id)].content
    assert "نظر مینا دربارهٔ خبر".encode() in raw and b"\\u" not in raw  # UTF-8, readable as it is
    export = json.loads(raw)
    assert export["profile"]["username"] == "mina_r"
    assert [c["text"] for c in export["comments"]] == ["نظر مینا دربارهٔ خبر"]
    # Times in ISO 8601 with Tehran's offset, the Jalali date beside them; the story's title beside its id.
    mine = export["comments"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:30", mine["created_at"])
    assert re.fullmatch(r"[۰-۹]{1,2} \w+ [۰-۹]{4}، [۰-۹]{2}:[۰-۹]{2}", mine["created_at_jalali"])
    assert mine["article_title"] == _post.html.split("</b>")[0].removeprefix("<b>").replace("\u2068", "").replace(
        "\u2069", ""
    )
    assert export["profile"]["first_seen_at"].endswith("+03:30")

    english = FakeUser(fake, "Kate", language_code="en")
    await english.send("/mydata")
    english_export = json.loads(fake.documents[(english.chat.id, (await english.next_message()).message_id)].content)
    assert "first_seen_at_jalali" not in english_export["profile"]
    assert "پاسخ امید" not in json.dumps(export, ensure_ascii=False)  # only this reader's data
    assert export["subscription"][0]["mode"] == "instant"
    assert export["subscription_filters"] == [{"kind": "keyword", "value": "رئیس‌جمهور"}]

    await reader.send("/forgetme")
    prompt = await answer(reader)
    assert "برگشت‌پذیر نیست" in prompt.text
    await reader.press(prompt, "نه، بماند")
    await fake.wait_for(lambda: "چیزی پاک نشد" in reader.received()[-1].text)
    database = sqlite3.connect(runner.settings.database_path)
    assert database.execute("SELECT count(*) FROM users WHERE id = ?", (reader.id,)).fetchone() == (1,)

    await reader.send("/forgetme")
    await reader.press(await answer(reader), "بله")
    await fake.wait_for(lambda: "پاک شد" in reader.received()[-1].text)
    assert database.execute("SELECT count(*) FROM users WHERE id = ?", (reader.id,)).fetchone() == (0,)
    for table in ("subscriptions", "subscription_filters"):
        assert database.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", (reader.id,)).fetchone() == (0,)
    rows = database.execute("SELECT author_id, author_name, text FROM comments ORDER BY id").fetchall()
    assert rows[0] == (0, "کاربر حذف‌شده", "نظر مینا دربارهٔ خبر")  # the thread holds
    assert rows[1][1] == "امید"
    assert database.execute("SELECT count(*) FROM comments WHERE author_id = ?", (reader.id,)).fetchone() == (0,)
    page = await open_discussion(replier, payload)
    assert "\u2067کاربر حذف‌شده\u2069" in page.text and "\u2067مینا\u2069" not in page.text
