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
    "help_admin": "\n\n<b>دستورهای مدیران</b>\n/status — وضعیت ربات",
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
    "status": (
        "<b>وضعیت ربات</b>\nزمان کار: {uptime}\nکاربران: {users}\nنسخهٔ پایگاه داده: {schema}\nحالت دریافت: {mode}"
    ),
    "mode_polling": "long polling",
    "mode_webhook": "webhook",
}
