"""Summaries: whole sentences, grammatical shortening only, no attribution boilerplate, the learned scorer.

The sentences here are written for these tests (not taken from any data set); each test stands for one class
of failure seen on unseen agencies."""

from __future__ import annotations

import json

import pytest

from bot.text.engine import TextEngine, get_engine
from bot.text.sentences import split_sentences
from bot.text.summarize import FEATURES, WEIGHTS_PATH, clean_sentence, optional_cuts, shipped_model
from bot.text.train_summarizer import Article, prepare, train

TITLE = "افتتاح سه نیروگاه خورشیدی در یزد"
# The best sentence: long, with commas between its clauses; the subject opens it and the verb closes it.
LONG = (
    "وزیر نیرو در سفر یک‌روزه خود به استان یزد، پس از دیدار با نمایندگان مردم و مدیران صنعت برق استان، "
    "از افتتاح سه نیروگاه خورشیدی با ظرفیت دویست مگاوات در حاشیه شهر یزد، اردکان و میبد تا پایان سال خبر داد."
)
SHORT = "این نیروگاه‌ها برق بیست هزار خانه را تامین می‌کنند."
OTHER = "ساخت نیروگاه چهارم در بافق نیز از ماه آینده آغاز می‌شود."
BODY = f"به گزارش خبرنگار ما، {LONG}\n{SHORT} {OTHER}"


@pytest.fixture(scope="module")
def engine() -> TextEngine:
    return get_engine()


def whole_forms(body: str) -> set[str]:
    """Every sentence of the body and every grammatical shortening of it."""
    return {form for raw in split_sentences(body) for form in optional_cuts(clean_sentence(raw))}


@pytest.mark.parametrize("budget", [40, 55, 70, 90, 120, 150, 200, 260, 400])
def test_summary_is_made_of_whole_sentences_at_every_budget(engine: TextEngine, budget: int) -> None:
    summary = engine.summarizer.summarize(TITLE, BODY, budget)
    assert 0 < len(summary) <= engine.summarizer.model.ceiling(budget)
    forms = whole_forms(BODY)
    if not summary.endswith("…"):
        rest = summary
        for form in sorted(forms, key=len, reverse=True):
            rest = rest.replace(form, "")
        assert not rest.strip(), f"not whole sentences: {summary}"


@pytest.mark.parametrize("budget", [40, 55, 70, 90, 120, 150])
def test_the_subject_is_never_dropped(engine: TextEngine, budget: int) -> None:
    """Class: the first clause (`وزیر نیرو ...`) cut away, leaving `از افتتاح ... خبر داد.`."""
    summary = engine.summarizer.summarize(TITLE, BODY, budget)
    if "خبر داد" in summary:
        assert summary.startswith("وزیر نیرو") or " وزیر نیرو" in summary


@pytest.mark.parametrize("budget", [40, 55, 70, 90, 120, 150])
def test_the_main_verb_is_never_dropped(engine: TextEngine, budget: int) -> None:
    """Class: the last clause (with `خبر داد`) cut away, leaving a sentence without its verb."""
    summary = engine.summarizer.summarize(TITLE, BODY, budget)
    if "وزیر نیرو" in summary and not summary.endswith("…"):
        assert "تا پایان سال خبر داد." in summary


VERB_LAST = (
    "نیروگاه‌های خورشیدی یزد و اردکان با ظرفیت دویست مگاوات در سفر وزیر نیرو به استان یزد و اردکان، "
    "با حضور مدیران نیروگاه‌های یزد، روز گذشته افتتاح شد."
)


@pytest.mark.parametrize("budget", [60, 90, 120, 140, 400])
def test_a_clause_without_the_verb_is_never_a_summary(engine: TextEngine, budget: int) -> None:
    """Class: the clause with the main verb (`افتتاح شد`) is the least informative, and went."""
    body = f"{VERB_LAST}\nمدیران نیروگاه‌های یزد گفتند برق اردکان از این پس پایدار است."
    summary = engine.summarizer.summarize("نیروگاه‌های خورشیدی یزد و اردکان", body, budget)
    if "با حضور مدیران" in summary or "دویست مگاوات" in summary:
        assert summary.endswith("روز گذشته افتتاح شد.")


def test_a_sentence_too_long_even_with_overflow_gives_way_to_the_best_whole_sentence_that_fits(
    engine: TextEngine,
) -> None:
    budget = 60
    assert len(LONG) > engine.summarizer.model.ceiling(budget)
    summary = engine.summarizer.summarize(TITLE, BODY, budget)
    assert summary in (SHORT, OTHER, f"{SHORT} {OTHER}")


def test_only_when_no_sentence_fits_is_one_cut_at_a_word(engine: TextEngine) -> None:
    summary = engine.summarizer.summarize(TITLE, LONG, 50)
    assert summary.endswith("…") and len(summary) <= 50
    assert summary.startswith("وزیر نیرو")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("مهر در خبری نوشت: وی ادامه داد: بودجه امسال دو برابر شده است.", "بودجه امسال دو برابر شده است."),
        ("به گزارش ایرنا از شیراز، وی گفت: باران هفته آینده به استان می‌رسد.", "باران هفته آینده به استان می‌رسد."),
        ("بر اساس این گزارش، مسابقات از فردا آغاز می‌شود.", "مسابقات از فردا آغاز می‌شود."),
        ("وی در ادامه افزود: مدارس از شنبه باز هستند.", "مدارس از شنبه باز هستند."),
    ],
)
def test_attribution_boilerplate_is_removed_in_any_sequence(raw: str, clean: str) -> None:
    assert clean_sentence(raw) == clean


def test_attribution_boilerplate_never_reaches_a_summary(engine: TextEngine) -> None:
    body = (
        "ایسنا در خبری نوشت: وی ادامه داد: کار ساخت پل جدید روی رودخانه کارون از هفته آینده آغاز می‌شود.\n"
        "این پل دو شهر اهواز و ملاثانی را به هم وصل می‌کند و سه سال طول می‌کشد."
    )
    summary = engine.summarizer.summarize("ساخت پل جدید روی کارون", body, 400)
    assert "در خبری نوشت" not in summary and "ادامه داد" not in summary
    assert summary.startswith("کار ساخت پل جدید")


def test_a_vague_speaker_stays_when_no_quote_follows() -> None:
    assert clean_sentence("وی گفت: بله.") == "وی گفت: بله."


def test_optional_parts_go_one_by_one_and_clauses_with_a_verb_stay() -> None:
    forms = optional_cuts(
        "علی رضایی، مدیرکل آموزش و پرورش استان، با اشاره به کمبود معلم در روستاها، گفت: صد معلم تازه استخدام می‌شوند."
    )
    assert forms[1] == "مدیرکل آموزش و پرورش استان با اشاره به کمبود معلم در روستاها، گفت: صد معلم تازه استخدام می‌شوند."
    assert forms[-1] == "مدیرکل آموزش و پرورش استان گفت: صد معلم تازه استخدام می‌شوند."
    # `ضمن ... خبر داد،` is a clause with its own verb, not an adjunct: dropping it would drop the news.
    with_verb = "شهردار ضمن بازدید از کارخانه از افتتاح خط تازه تولید خبر داد، این خط صد نفر را به کار می‌گیرد."
    assert optional_cuts(with_verb) == [with_verb]
    parenthetical = "نشست امروز (با حضور سه وزیر) در تهران برگزار شد."
    assert optional_cuts(parenthetical) == [parenthetical, "نشست امروز در تهران برگزار شد."]


def test_shipped_weights_name_every_feature_and_come_from_the_trainer() -> None:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    assert data["overflow"] == shipped_model().overflow
    assert sum(data["trained_on"].values()) > 1000


def test_training_learns_a_preference_that_the_summary_follows(engine: TextEngine) -> None:
    """Articles whose lead is always their last sentence: the learned scorer picks the last sentence."""
    articles = []
    for k in range(12):
        sentences = [
            f"جلسه شماره {k} شورای شهر با حضور اعضا در ساختمان شورا برگزار شد.",
            f"اعضای شورا درباره بودجه سال {k} و طرح‌های عمرانی محله‌ها گفت‌وگو کردند.",
            f"در پایان جلسه {k} تصمیم گرفته شد پارک تازه‌ای در شرق شهر ساخته شود.",
        ]
        articles.append(Article("made-up", "شورای شهر", "\n".join(sentences), sentences[-1]))
    model = train(engine.summarizer, prepare(engine.summarizer, articles))
    trained = type(engine.summarizer)(engine.terms, model)
    summary = trained.summarize("شورای شهر", articles[-1].body, 75)
    assert summary.startswith("در پایان جلسه")
