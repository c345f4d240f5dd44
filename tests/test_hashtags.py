"""Hashtags a Persian editor would keep: nouns and names, never verb forms or ordinals, names kept whole;
and reader topics made only of them. The articles are our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.text.engine import TextEngine, get_engine
from bot.text.hashtags import HashtagExtractor
from bot.text.tag_prior import TagPrior, learn, tag_key
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.test_discussion import answer
from tests.test_subscriptions import publish

FESTIVAL_TITLE = "شهردار شیراز: آمدم که در پنجمین جشنواره کنار مردم باشید"
FESTIVAL = "\n".join(
    (
        "شهردار شیراز در آیین گشایش پنجمین جشنواره فرهنگی گفت: آمدم تا بگویم شما باید در جشنواره کنار مردم باشید.",
        "او افزود که جشنواره در سال‌های گذشته چنین استقبالی نداشت و هیچ‌کس باور نداشت که پنجمین دوره شلوغ باشد.",
        "مهمانان فرمودند که جشنواره شیراز در روز سوم شلوغ‌تر بود و امام جمعه نیز می‌فرماید که جشنواره ادامه یابد.",
        "برنامه روز سوم جشنواره با اجرای موسیقی محلی در باغ ارم به پایان رسید و شهردار گفت آمدم که بمانم.",
        "بازدیدکنندگان فرمودند که برای روز سوم هم بلیت نداشت و باید زودتر آمده باشید.",
    )
)
NOT_TAGS = {"#آمدم", "#باشید", "#نداشت", "#فرمودند", "#می_فرماید", "#پنجمین", "#سوم", "#بمانم", "#یابد"}

NAMES_TITLE = "آرین روبن در جام جهانی بازی می‌کند"
NAMES = "\n".join(
    (
        "آرین روبن ستاره هلندی پس از بهبود مصدومیت در جام جهانی به میدان می‌رود.",
        "سرمربی هلند گفت که آرین روبن برای جام جهانی آماده است و در بازی نخست بازی می‌کند.",
        "هواداران هلند امیدوارند آرین روبن در جام جهانی امسال گل‌های زیادی بزند.",
        "روزنامه‌های هلند نوشتند تیم ملی بدون آرین روبن شانس کمی در جام جهانی دارد.",
    )
)


@pytest.fixture(scope="module")
def engine() -> TextEngine:
    return get_engine()


@pytest.fixture(scope="module")
def untrained(engine: TextEngine) -> HashtagExtractor:
    """The rules alone, without what was learned from the sites' tags."""
    return HashtagExtractor(engine.lexicon, engine.terms, TagPrior())


@pytest.mark.parametrize("word", ["باشید", "آمدم", "نداشت", "فرمودند", "می‌فرماید", "نمی‌کنم", "بخواهیم", "شویم"])
def test_verb_forms_are_not_keyword_words(untrained: HashtagExtractor, word: str) -> None:
    assert not untrained.is_keyword_word(word)


@pytest.mark.parametrize("word", ["پنجمین", "سوم", "سی‌وهشتمین", "نخستین", "بیستمین", "۱۲مین"])
def test_ordinals_are_not_keyword_words(untrained: HashtagExtractor, word: str) -> None:
    assert not untrained.is_keyword_word(word)


@pytest.mark.parametrize("word", ["بازی", "جشنواره", "شیراز", "دیدار", "پیروزی", "روبن", "گفتار"])
def test_nouns_and_names_are_keyword_words(untrained: HashtagExtractor, word: str) -> None:
    assert untrained.is_keyword_word(word)


def test_no_verb_forms_or_ordinals_become_hashtags(engine: TextEngine, untrained: HashtagExtractor) -> None:
    title, body = engine.normalize(FESTIVAL_TITLE), engine.normalize(FESTIVAL)
    for extractor in (untrained, engine.hashtags):
        tags = extractor.extract(title, body)
        assert 2 <= len(tags) <= 5
        assert not NOT_TAGS & set(tags), tags
        assert "#جشنواره" in tags or "#شیراز" in tags


def test_a_name_and_a_term_from_the_title_stay_whole(engine: TextEngine, untrained: HashtagExtractor) -> None:
    tags = untrained.extract(engine.normalize(NAMES_TITLE), engine.normalize(NAMES))
    assert "#آرین_روبن" in tags and "#جام_جهانی" in tags, tags
    assert not {"#آرین", "#روبن", "#جام", "#جهانی"} & set(tags)


def test_a_learned_full_name_stands_for_its_word_in_a_headline_but_common_words_stay_words(
    engine: TextEngine,
) -> None:
    prior = learn(
        {"title": f"{word} در بازی امروز برد", "text": f"{word} برد. بازیکنان {word} خوب بودند.", "tags": [name]}
        for word, name in (("لیورپولی‌ها", "x"), ("یونایتد", "منچستر یونایتد"), ("سردار", "سردار آزمون"))
        for _ in range(4)
    )
    assert prior.aliases == {"یونایتد": "منچستر یونایتد", "سردار": "سردار ازمون"}
    extractor = HashtagExtractor(engine.lexicon, engine.terms, prior)
    story = "یونایتد در ورزشگاه خانگی برد. هواداران یونایتد جشن گرفتند و سرمربی یونایتد از بازیکنان تشکر کرد."
    assert "#منچستر_یونایتد" in extractor.extract("پیروزی یونایتد در خانه", story)
    army = "سردار فرمانده مرزبانی از مرزبانان تقدیر کرد. سردار گفت که مرزها امن است و سردار به مرز رفت."
    tags = extractor.extract("سردار از مرزبانان تقدیر کرد", army)
    assert "#سردار_آزمون" not in tags and "#سردار_ازمون" not in tags


# Sports stories of our own: a player named whole once, then by his surname; his role word is no first name.
def _story(first: str, last: str, club: str) -> dict:
    return {
        "title": f"{last} با {club} قرارداد بست",
        "text": f"{first} {last} هافبک تیم ملی به {club} پیوست. {last} گفت که در {club} خوشحال است. "
        f"هواداران {club} از آمدن {last} استقبال کردند.",
        "tags": [f"{first} {last}", club],
    }


PLAYERS = [("سامان", "قدوسی"), ("سامان", "رحیمی"), ("کاوه", "نوروزی"), ("کاوه", "صدری")]


def test_first_names_are_learned_from_names_editors_tag_whole() -> None:
    prior = learn(_story(first, last, "پیکان") for first, last in PLAYERS)
    assert {"سامان", "کاوه"} <= prior.given_names
    assert "هافبک" not in prior.given_names  # a role: used apart from any one name


def test_a_name_written_whole_once_is_tagged_whole_though_the_story_then_uses_the_surname(
    engine: TextEngine,
) -> None:
    extractor = HashtagExtractor(engine.lexicon, engine.terms, learn(_story(f, s, "پیکان") for f, s in PLAYERS))
    title = "درخشش صدری در پیروزی ملوان"
    body = (
        "کاوه صدری مدافع جوان ملوان در دیدار دیروز دو گل زد. صدری پس از بازی گفت که ملوان شایسته پیروزی بود. "
        "سرمربی ملوان هم از صدری تشکر کرد و گفت صدری آینده روشنی دارد."
    )
    tags = extractor.extract(engine.normalize(title), engine.normalize(body))
    assert "#کاوه_صدری" in tags, tags
    assert "#صدری" not in tags and "#کاوه" not in tags


def _shown(extractor: HashtagExtractor, engine: TextEngine, title: str, body: str) -> list[str]:
    return [candidate.shown for candidate in extractor.candidates(engine.normalize(title), engine.normalize(body))]


def test_a_foreign_first_name_hazm_hardly_knows_completes_even_a_common_surname(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    # `رونالدو` is a frequent word of hazm's corpus; `کریستیانو` is unknown to it, `کنترل` is a noun it lists.
    shown = _shown(
        untrained,
        engine,
        "رونالدو به تمرین بازگشت",
        "کریستیانو رونالدو پس از دو هفته مصدومیت به تمرین بازگشت. رونالدو در تمرین امروز با توپ کار کرد و "
        "پزشکان گفتند رونالدو برای دیدار شنبه آماده است. هواداران از بازگشت رونالدو خوشحال بودند.",
    )
    assert "کریستیانو رونالدو" in shown and "رونالدو" not in shown, shown
    shown = _shown(
        untrained,
        engine,
        "ترافیک سنگین در ورودی‌های شهر",
        "مرکز کنترل ترافیک پلیس راهور از ترافیک سنگین در ورودی‌های شهر خبر داد. ترافیک در بزرگراه‌ها تا شب "
        "ادامه دارد و رانندگان باید ترافیک را در نظر بگیرند. پلیس گفت ترافیک جمعه کمتر است.",
    )
    assert "ترافیک" in shown and "کنترل ترافیک" not in shown, shown


COACH = (
    "{first} سرمربی پرسپولیس پس از پیروزی در ورزشگاه آزادی گفت بازیکنانش جنگیدند. {second} از بازی راضی بود "
    "و گفت تیمش شایسته برد بود. به گفته {name}، پرسپولیس هنوز برای قهرمانی می‌جنگد و {name} از هواداران "
    "تشکر کرد."
)


def test_a_name_first_mentioned_whole_and_then_by_its_first_word_is_shown_whole(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    body = COACH.format(first="برانکو ایوانکوویچ", second="برانکو", name="برانکو")
    tags = untrained.extract(engine.normalize("برانکو: پرسپولیس جنگید"), engine.normalize(body))
    assert "#برانکو_ایوانکوویچ" in tags and "#برانکو" not in tags, tags
    # Only the first mention says how a name is written whole: later a word may follow it (an adverb).
    body = COACH.format(first="برانکو", second="برانکو واقعا", name="برانکو")
    shown = _shown(untrained, engine, "برانکو: پرسپولیس جنگید", body)
    assert "برانکو" in shown and not [s for s in shown if s.startswith("برانکو ")], shown


def test_an_adjective_is_no_hashtag_alone_but_a_surname_of_that_form_is_part_of_a_name(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    # `اقتصادی` (economic) is `اقتصاد` + ی and is not in hazm's list: the story's most frequent unknown word.
    title = "رشد اقتصادی و بازار کار"
    body = (
        "رشد اقتصادی کشور در سال گذشته کند شد. کارشناسان اقتصادی می‌گویند بازار کار از رشد اقتصادی عقب مانده "
        "است. برنامه‌های اقتصادی دولت بر بازار کار اثر گذاشت و شاخص‌های اقتصادی نشان می‌دهد بیکاری بالا رفت. "
        "بیکاری جوانان بیشتر است."
    )
    tags = untrained.extract(engine.normalize(title), engine.normalize(body))
    assert "#اقتصادی" not in tags and "#بازار_کار" in tags, tags
    # `نظری` is `نظر` + ی too, but here it is the surname of `مهدی نظری`.
    body = (
        "مهدی نظری مهاجم نفت در دیدار دیروز دو گل زد. نظری پس از بازی گفت که نفت شایسته پیروزی بود. "
        "سرمربی نفت هم از نظری تشکر کرد و گفت نظری آینده روشنی دارد."
    )
    assert "#مهدی_نظری" in untrained.extract(engine.normalize("درخشش نظری در پیروزی نفت"), engine.normalize(body))


def test_the_reporting_agency_is_not_a_hashtag(engine: TextEngine, untrained: HashtagExtractor) -> None:
    title = "پیروزی ملوان در بندرانزلی"
    body = (
        'به گزارش "ورزش سه"، ملوان در ورزشگاه سیروس قایقران میزبان پیکان بود و با دو گل برد. '
        "هواداران ملوان پس از پیروزی در خیابان‌های بندرانزلی جشن گرفتند. ورزش شهر بندرانزلی با ملوان زنده است.\n"
        'به گزارش "ورزش سه"، مدیران ورزش استان گیلان هم برای دیدن بازی به ورزشگاه آمده بودند.'
    )
    title, body = engine.normalize(title), engine.normalize(body)
    assert "#ملوان" in untrained.extract(title, body)
    shown = [candidate.shown for candidate in untrained.candidates(title, body)]
    assert "ملوان" in shown and not [s for s in shown if "ورزش" in s.split()], shown


def test_tag_keys_drop_qualifiers_and_fold_spelling() -> None:
    assert tag_key("زیدان (سرمربی)") == tag_key("زیدان")
    assert tag_key("#رئال_مادرید") == tag_key("رئال مادرید")


async def test_reader_topics_are_only_the_posts_hashtags(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, FESTIVAL_TITLE, FESTIVAL)
    post = fake.history(channel.id, from_bot=None)[-1]
    hashtags = [word for word in post.text.split() if word.startswith("#")]
    reader = FakeUser(fake, "موضوع‌خوان")
    await reader.send("/mysubs")
    settings = await answer(reader)
    topics = [b["text"] for b in settings.buttons if b["text"].startswith("#")]
    assert topics and set(topics) <= set(hashtags)
    assert not NOT_TAGS & set(topics)


# A striker of our own, named whole once and then by his surname; `هافبک` (a role) is no first name.
STRIKER_TITLE = "قربانلو با گل دیرهنگام ملوان را نجات داد"
STRIKER = (
    "{} مهاجم جوان ملوان در دقیقه نود گل پیروزی را زد. قربانلو پس از بازی گفت که این گل را به هواداران تقدیم "
    "می‌کند. هواداران ملوان از قربانلو تشکر کردند و سرمربی ملوان گفت قربانلو آینده روشنی دارد."
)


def test_a_common_persian_first_name_makes_the_full_name_without_any_learned_names(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    tags = untrained.extract(engine.normalize(STRIKER_TITLE), engine.normalize(STRIKER.format("مهران قربانلو")))
    assert "#مهران_قربانلو" in tags, tags
    assert not {"#قربانلو", "#مهران"} & set(tags)


def test_a_role_before_a_surname_is_not_a_first_name(engine: TextEngine, untrained: HashtagExtractor) -> None:
    tags = untrained.extract(engine.normalize(STRIKER_TITLE), engine.normalize(STRIKER.format("هافبک قربانلو")))
    assert "#قربانلو" in tags, tags
    assert not [tag for tag in tags if "هافبک" in tag]


def test_a_first_name_unknown_to_hazm_before_an_unknown_surname_is_kept_whole(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    title = "هولمگرن در آستانه پیوستن به ملوان"
    body = (
        "کلاوس هولمگرن مدافع سوئدی با باشگاه ملوان مذاکره کرد. هولمگرن گفت که از پیشنهاد ملوان خوشحال است. "
        "مدیران ملوان امیدوارند قرارداد هولمگرن تا پایان هفته امضا شود."
    )
    tags = untrained.extract(engine.normalize(title), engine.normalize(body))
    assert "#کلاوس_هولمگرن" in tags and "#هولمگرن" not in tags, tags


CLUBS = ["سپاهان", "پیکان", "ذوب‌آهن", "نساجی", "سایپا", "مس", "صنعت‌نفت", "فولاد", "تراکتور", "شهرخودرو", "گل‌گهر"]


def _club_reports() -> list[dict]:
    """Sports reports of our own: every one uses `تیم`, each tagged with its club."""
    return [
        {
            "title": f"پیروزی {club}",
            "text": f"تیم {club} امروز برد. بازیکنان تیم {club} خوب بودند و تیم از هواداران تشکر کرد.",
            "tags": [club],
        }
        for club in CLUBS
    ]


def test_the_share_of_articles_using_a_word_is_learned_only_from_enough_articles(
    engine: TextEngine, tmp_path: Path
) -> None:
    prior = learn(_club_reports(), engine.terms)
    team = engine.terms.stem("تیم")
    assert prior.common[team] == 1.0
    assert engine.terms.stem("سپاهان") not in prior.common  # one article in eleven
    assert learn(_club_reports()[:4], engine.terms).common == {}
    prior.save(tmp_path / "prior.json")
    assert TagPrior.load(tmp_path / "prior.json").common == prior.common


def test_a_word_every_story_uses_is_no_hashtag(engine: TextEngine, untrained: HashtagExtractor) -> None:
    title = engine.normalize("سرمربی تیم از بازیکنان ملوان راضی است")
    body = engine.normalize(
        "سرمربی ملوان گفت این تیم آماده است. او افزود که تیم در بندرانزلی تمرین کرد و هر تیم حریف را جدی "
        "می‌گیرد. ملوان با این تیم جوان به مصاف پرسپولیس می‌رود. به گفته او، تیم هنوز دو مصدوم دارد."
    )
    extractor = HashtagExtractor(engine.lexicon, engine.terms, TagPrior())
    assert "#تیم" in extractor.extract(title, body)  # hazm alone finds `تیم` rare
    extractor.prior = learn(_club_reports(), engine.terms)  # as the evaluation swaps priors
    tags = extractor.extract(title, body)
    assert "#تیم" not in tags and "#ملوان" in tags, tags


def test_plurals_are_not_hashtags_nor_parts_of_one(engine: TextEngine, untrained: HashtagExtractor) -> None:
    title = engine.normalize("رقابت‌های اسنوکر قهرمانی کشور در تهران آغاز شد")
    body = engine.normalize(
        "رقابت‌های اسنوکر قهرمانی کشور با حضور بازیکنان ده استان در تهران آغاز شد. در نخستین روز رقابت‌های "
        "اسنوکر، بازیکنان تهران سه پیروزی به دست آوردند. استقلالی‌ها و پرسپولیسی‌ها هم برای تماشای رقابت‌های "
        "اسنوکر به سالن آمدند. استقلالی‌ها از بازیکنان تهران حمایت کردند و پرسپولیسی‌ها از بازیکنان مهمان. "
        "اسنوکر در ایران طرفداران زیادی دارد."
    )
    tags = untrained.extract(title, body)
    assert "#اسنوکر" in tags, tags
    assert not [tag for tag in tags if tag.endswith(("_ها", "_های")) or "_های_" in tag], tags


def test_a_word_is_stemmed_to_a_word_so_a_common_one_is_not_taken_for_a_rare_one(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    # hazm's stemmer cuts `ید` off `تولید` (`تول`, a spelling its corpus hardly has) and `ان` off `تابستان`.
    title = engine.normalize("افزایش تولید کنسرو ماهی در چابهار")
    body = engine.normalize(
        "تولید کنسرو ماهی در کارخانه‌های چابهار در تابستان امسال بیشتر شد. مدیر شیلات گفت تولید این کارخانه‌ها "
        "به دو برابر رسید و کنسرو چابهار به بازار عراق هم می‌رود. به گفته او تولید ماهی تن هم بالا رفت و تولید "
        "در ماه‌های آینده ادامه دارد."
    )
    tags = untrained.extract(title, body)
    assert tags[:2] == ["#کنسرو", "#چابهار"], tags
    keys = {candidate.shown: candidate.key for candidate in untrained.candidates(title, body)}
    assert keys["تولید"] == ("تولید",) and keys["تابستان"] == ("تابستان",)
    # An ending still comes off when what is left is a word: the plural counts with its singular.
    words = untrained._tokens(engine.normalize("بازیکنان و بازیکن؛ تولیدات و تولید"))
    assert [stem for _, stem in words if stem] == ["بازیکن", "بازیکن", "تولید", "تولید"]


def test_a_name_the_lead_uses_ranks_above_one_the_story_brings_up_later(
    engine: TextEngine, untrained: HashtagExtractor
) -> None:
    # Two names of our own, each used three times, neither in the headline: the lead's comes first.
    shown = _shown(
        untrained,
        engine,
        "برگزاری جشنواره در شهر",
        "گروه هنری تیرانوس در نخستین شب جشنواره روی صحنه رفت. "
        "تماشاگران زیادی به سالن آمدند و برنامه تا نیمه شب ادامه داشت و مسئولان از برگزاری آن راضی بودند. "
        "در ادامه این شب گروه بارمیلو هم اجرا کرد و بارمیلو قطعه‌های تازه‌ای خواند. "
        "تیرانوس پیش از این در شهرهای دیگر هم اجرا داشت و تیرانوس برای سال آینده برنامه دارد. "
        "بارمیلو هم قرار است بار دیگر به این شهر بیاید.",
    )
    assert shown.index("تیرانوس") < shown.index("بارمیلو"), shown


@pytest.mark.parametrize("word", ["به‌ویژه", "به‌خاطر", "نه‌تنها", "خوشحال‌اند", "آماده‌ایم", "کرده‌ام"])
def test_adverbs_and_predicates_written_with_a_zwnj_are_not_keyword_words(
    untrained: HashtagExtractor, word: str
) -> None:
    assert not untrained.is_keyword_word(word)


@pytest.mark.parametrize("word", ["رئیس‌جمهور", "هلال‌احمر", "خامنه‌ای", "بین‌المللی", "گفت‌وگو"])
def test_nouns_and_names_written_with_a_zwnj_stay_keyword_words(untrained: HashtagExtractor, word: str) -> None:
    assert untrained.is_keyword_word(word)


def test_a_comparative_is_no_hashtag_alone(engine: TextEngine, untrained: HashtagExtractor) -> None:
    shown = _shown(
        untrained,
        engine,
        "مدافعان: ضربه‌ای کوبنده‌تر در راه است",
        "فرمانده مدافعان شهر از ضربه‌ای کوبنده‌تر خبر داد. به گفته او مهاجمان با پاسخی کوبنده‌تر روبه‌رو "
        "می‌شوند و حمله کوبنده‌تر مدافعان نزدیک است. مدافعان آماده‌اند و مهاجمان هنوز پاسخی نداده‌اند.",
    )
    assert "کوبنده‌تر" not in shown and "مدافعان" in shown, shown
    assert not [s for s in shown if s.endswith("اند")], shown


@pytest.mark.parametrize("word", ["آسیایی", "اروپایی", "دریایی", "اقتصادی"])
def test_relational_adjectives_are_no_hashtags_alone(untrained: HashtagExtractor, word: str) -> None:
    assert untrained._is_adjective(word)


@pytest.mark.parametrize("word", ["آسیا", "بازی", "دانشگاه", "خامنه‌ای"])
def test_nouns_that_end_like_adjectives_are_not_adjectives(untrained: HashtagExtractor, word: str) -> None:
    assert not untrained._is_adjective(word)
