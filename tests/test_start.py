"""/start, /help, /language and the answers to input the bot does not understand."""

from __future__ import annotations

from bot.app import BotRunner
from tests.fake_telegram import FakeTelegram, FakeUser


async def test_start_greets_a_persian_reader_in_persian(bot: BotRunner, user: FakeUser) -> None:
    await user.send("/start")
    reply = await user.next_message()
    assert "سلام مریم" in reply.text
    assert "گفت‌وگو" in reply.text
    assert "<b>گفت‌وگو</b>" in reply.html


async def test_start_answers_an_english_user_in_english(bot: BotRunner, fake: FakeTelegram) -> None:
    john = FakeUser(fake, "John", language_code="en-US")
    await john.send("/start")
    reply = await john.next_message()
    assert reply.text.startswith("Hello John")


async def test_user_name_is_escaped_in_html(bot: BotRunner, fake: FakeTelegram) -> None:
    tricky = FakeUser(fake, "<b>&Ali", language_code="fa")
    await tricky.send("/start")
    reply = await tricky.next_message()
    assert "<b>&Ali" in reply.text
    assert "&lt;b&gt;&amp;Ali" in reply.html


async def test_unknown_deep_link_gets_a_clear_persian_answer(bot: BotRunner, user: FakeUser) -> None:
    await user.send("/start no_such_article")
    reply = await user.next_message()
    assert "پیوند معتبر نیست" in reply.text


async def test_help_lists_commands_and_admin_commands_only_for_owners(
    bot: BotRunner, user: FakeUser, owner: FakeUser
) -> None:
    await user.send("/help")
    assert "/language" in (await user.next_message()).text
    assert "/status" not in user.received()[-1].text
    await owner.send("/help")
    assert "/status" in (await owner.next_message()).text


async def test_unknown_command_points_to_help(bot: BotRunner, user: FakeUser) -> None:
    await user.send("/frobnicate")
    assert "/help" in (await user.next_message()).text


async def test_photo_and_sticker_get_a_polite_explanation(bot: BotRunner, user: FakeUser) -> None:
    await user.send_photo("عکس")
    assert "فقط پیام متنی" in (await user.next_message()).text
    await user.send_sticker()
    assert "فقط پیام متنی" in (await user.next_message()).text


async def test_free_text_is_answered_not_ignored(bot: BotRunner, user: FakeUser) -> None:
    await user.send("سلام، خبر تازه چه دارید؟")
    assert "نظرات" in (await user.next_message()).text


async def test_huge_message_is_answered(bot: BotRunner, user: FakeUser) -> None:
    await user.send("ا" * 4096)
    assert (await user.next_message()).text


async def test_language_choice_switches_to_english_and_survives_restart(
    start_bot, fake: FakeTelegram, user: FakeUser
) -> None:
    runner = await start_bot()
    await user.send("/language")
    prompt = await user.next_message()
    query = await user.press(prompt, "English")
    await user.callback_answer(query)
    await fake.wait_for(lambda: prompt.text == "The bot now speaks English.")
    await runner.stop()

    await start_bot()
    await user.send("/start")
    assert (await user.next_message()).text.startswith("Hello \u2067مریم\u2069")


async def test_a_button_the_bot_does_not_know_is_answered(bot: BotRunner, fake: FakeTelegram, user: FakeUser) -> None:
    await user.send("/language")
    prompt = await user.next_message()
    prompt.reply_markup = {"inline_keyboard": [[{"text": "old", "callback_data": "gone:1"}]]}
    query = await user.press(prompt, "old")
    answer = await user.callback_answer(query)
    assert answer["show_alert"] and "دیگر کار نمی‌کند" in answer["text"]


async def test_status_is_refused_to_ordinary_users(bot: BotRunner, user: FakeUser, owner: FakeUser) -> None:
    await user.send("/status")
    assert "فقط برای مدیران" in (await user.next_message()).text
    await owner.send("/status")
    reply = await owner.next_message()
    assert "وضعیت ربات" in reply.text and "کاربران: ۲" in reply.text


async def test_status_says_which_channel_and_group_the_bot_is_set_up_for(
    start_bot, fake: FakeTelegram, owner: FakeUser
) -> None:
    """A new admin following README's set-up asks /status: it says whether CHANNEL_ID and DISCUSSION_GROUP_ID
    are set and to what (in Latin digits, as the settings take them), in Persian or in English."""
    runner = await start_bot()
    await owner.send("/status")
    bare = (await owner.next_message()).text
    assert "کانال (CHANNEL_ID): ⚠️ تنظیم نشده" in bare and "گروه گفت‌وگو (DISCUSSION_GROUP_ID): ⚠️ تنظیم نشده" in bare
    await runner.stop()
    await start_bot(CHANNEL_ID="@news_test", DISCUSSION_GROUP_ID="-1002000")
    await owner.send("/status")
    shown = await owner.next_message()
    assert "کانال (CHANNEL_ID): @news_test" in shown.text and "(DISCUSSION_GROUP_ID): -1002000" in shown.text
    assert "<code>-1002000</code>" in shown.html and "تنظیم نشده" not in shown.text
    seen = len(owner.received())
    await FakeUser(fake, "Owner", user_id=owner.id, language_code="en").send("/status")  # Telegram now in English
    english = (await fake.wait_for(lambda: owner.received()[seen:] and owner.received()[seen])).text
    assert "Channel (CHANNEL_ID): @news_test" in english
    assert "Discussion group (DISCUSSION_GROUP_ID): -1002000" in english
