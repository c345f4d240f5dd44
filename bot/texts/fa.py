"""Persian messages (the default language). Values are Telegram HTML templates; {params} are escaped."""

MESSAGES: dict[str, str] = {
    # Command menu descriptions (setMyCommands: plain text, at most 256 characters).
    "cmd_start": "شروع و معرفی ربات",
    "cmd_help": "راهنمای دستورها",
    "cmd_language": "تغییر زبان (فارسی / English)",
    "cmd_status": "وضعیت ربات (مدیران)",
    # Channel posts
    "post_source": "منبع: {source}",
    "post_comments_button": "💬 نظرات ({count})",
    "post_read_more": "متن کامل خبر",
    # /start and /help
    "start_welcome": (
        "سلام {name} 👋\n"
        "من <b>گفت‌وگو</b> هستم: ربات خبرهای کانال و گفت‌وگوی خوانندگان دربارهٔ آن‌ها.\n\n"
        "زیر هر خبر در کانال دکمهٔ «💬 نظرات» هست؛ با زدنش همین‌جا نظرها را می‌خوانید و نظر خودتان را می‌نویسید.\n\n"
        "راهنما: /help"
    ),
    "help": (
        "<b>راهنمای گفت‌وگو</b>\n\n"
        "/start — شروع\n"
        "/help — همین راهنما\n"
        "/language — تغییر زبان\n\n"
        "برای خواندن و نوشتن نظر، دکمهٔ «💬 نظرات» زیر هر خبر کانال را بزنید."
    ),
    "help_admin": "\n\n<b>دستورهای مدیران</b>\n/status — وضعیت ربات\n/post — انتشار خبر با پیش‌نمایش\n/addfeed، /feeds، /rmfeed، /pausefeed، /resumefeed — خوراک‌ها\n/outbox — صف ارسال",
    # Language choice
    "language_prompt": "زبان ربات را انتخاب کنید:",
    "language_set": "زبان ربات فارسی شد.",
    "language_button_fa": "فارسی",
    "language_button_en": "English",
    # Bad input
    "unknown_command": "این دستور را نمی‌شناسم. فهرست دستورها: /help",
    "not_text": "فعلاً فقط پیام متنی را می‌فهمم. برای دیدن کارهایی که از من برمی‌آید /help را بزنید.",
    "free_text": "پیامتان رسید، اما منتظر متنی نبودم. برای نوشتن نظر، دکمهٔ «💬 نظرات» زیر خبر در کانال را بزنید؛ راهنما: /help",
    "start_unknown_link": "این پیوند معتبر نیست یا دیگر کار نمی‌کند. برای دیدن خبرها به کانال سر بزنید.",
    "button_expired": "این دکمه دیگر کار نمی‌کند.",
    "error_generic": "متأسفانه خطایی پیش آمد و درخواست شما انجام نشد. لطفاً دوباره امتحان کنید.",
    "not_allowed": "این دستور فقط برای مدیران ربات است.",
    # Owners
    "owner_error_notice": "⚠️ خطا در پردازش به‌روزرسانی {update_id}:\n<code>{error}</code>{suppressed}",
    "owner_error_suppressed": "\n(و {count} خطای دیگر از آخرین گزارش)",
    "feed_paused_notice": "⚠️ خوراک «{feed}» (شناسه {id}) پس از چند خطای پیاپی متوقف شد.\nدلیل: {reason}\nپس از رفع مشکل: /resumefeed {id}",
    "channel_post_failed_notice": "⚠️ انتشار خبر در کانال ممکن نشد.\nپاسخ تلگرام: {reason}\nبررسی کنید که ربات در کانال مدیر باشد و اجازهٔ ارسال پیام داشته باشد.",
    # News administration
    "cmd_cancel": "لغو کار در جریان",
    "cmd_post": "انتشار خبر با پیش‌نمایش (مدیران)",
    "cmd_addfeed": "افزودن خوراک RSS/Atom (مدیران)",
    "cmd_feeds": "فهرست خوراک‌ها (مدیران)",
    "cmd_rmfeed": "حذف خوراک (مدیران)",
    "cmd_pausefeed": "توقف خوراک (مدیران)",
    "cmd_resumefeed": "ادامهٔ خوراک (مدیران)",
    "cmd_outbox": "وضعیت صف ارسال (مدیران)",
    "addfeed_usage": "برای افزودن خوراک بنویسید:\n/addfeed نشانی [نام]\nمثال: /addfeed https://example.ir/rss خبرگزاری نمونه",
    "addfeed_checking": "در حال خواندن خوراک…",
    "addfeed_done": "خوراک «{name}» با شناسهٔ {id} اضافه شد. خبرهای فعلی آن دیده‌شده ثبت شدند؛ فقط خبرهای تازه منتشر می‌شوند.",
    "addfeed_duplicate": "این خوراک پیش‌تر اضافه شده است. فهرست: /feeds",
    "addfeed_failed": "این خوراک اضافه نشد: {reason}",
    "feeds_empty": "هنوز خوراکی اضافه نشده است. افزودن: /addfeed نشانی [نام]",
    "feeds_header": "<b>خوراک‌ها</b>",
    "feeds_line": "{id}. {name} — {status}{problem}",
    "feeds_problem": "\n   ⚠️ {reason}",
    "feed_status_active": "فعال",
    "feed_status_paused": "متوقف",
    "feed_id_usage": "شناسهٔ خوراک را بنویسید، مثلاً: /{command} ۳ (فهرست: /feeds)",
    "feed_not_found": "خوراکی با شناسهٔ {id} نیست. فهرست: /feeds",
    "feed_removed": "خوراک {id} حذف شد. خبرهای منتشرشدهٔ آن می‌مانند.",
    "feed_paused": "خوراک {id} متوقف شد. ادامه: /resumefeed {id}",
    "feed_resumed": "خوراک {id} دوباره خوانده می‌شود.",
    "feed_paused_by_admin": "به دستور مدیر",
    "outbox_stats": "<b>صف ارسال</b>\nدر انتظار: {pending}\nدر حال ارسال: {sending}\nفرستاده‌شده: {sent}\nناموفق: {failed}\nردشده: {dead}\nقدیمی‌ترین پیام در انتظار: {age} ثانیه",
    "post_no_channel": "کانال تنظیم نشده است: CHANNEL_ID را در تنظیمات ربات بنویسید.",
    "post_prompt": "متن خبر را بفرستید (خط اول تیتر است)، یا پیام خبر را برایم هدایت کنید، یا فقط نشانی خبر را بفرستید.\nانصراف: /cancel",
    "post_need_text": "متنی نرسید. متن خبر یا نشانی آن را بفرستید؛ انصراف: /cancel",
    "post_fetch_failed": "نشانی خوانده نشد: {reason}\nمتن خبر را مستقیم بفرستید یا /cancel.",
    "post_too_short": "این متن برای خبر کوتاه است. تیتر را در خط اول و متن خبر را زیر آن بفرستید.",
    "post_no_sentences": "در این متن جمله‌ای برای خلاصه پیدا نشد. تیتر را در خط اول و متن خبر را زیر آن بفرستید.",
    "post_draft_gone": "این پیش‌نویس دیگر باز نیست.",
    "post_empty_edit": "متن خالی است؛ دوباره بفرستید.",
    "post_button_publish": "✅ انتشار در کانال",
    "post_button_title": "✏️ ویرایش تیتر",
    "post_button_summary": "✏️ ویرایش خلاصه",
    "post_button_cancel": "✖️ لغو",
    "post_ask_title": "تیتر تازه را بفرستید. انصراف: /cancel",
    "post_ask_summary": "خلاصهٔ تازه را بفرستید. انصراف: /cancel",
    "post_queued": "خبر در صف انتشار کانال قرار گرفت.",
    "post_duplicate": "این خبر پیش‌تر منتشر شده است؛ دوباره منتشر نشد.",
    "post_cancelled": "پیش‌نویس لغو شد.",
    "cancelled": "لغو شد.",
    "nothing_to_cancel": "کاری در جریان نبود.",
    "status": (
        "<b>وضعیت ربات</b>\nزمان کار: {uptime}\nکاربران: {users}\nنسخهٔ پایگاه داده: {schema}\nحالت دریافت: {mode}"
    ),
    "mode_polling": "long polling",
    "mode_webhook": "webhook",
}
