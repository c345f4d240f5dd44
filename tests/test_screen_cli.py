"""`python -m bot screen`: word lists tried on texts before they are turned on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_config import clean_env


def screen(*args: str, stdin: str | bytes = "") -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "bot", "screen", *args], input=data, capture_output=True, env=clean_env(), timeout=60
    )


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    banned, suspect = tmp_path / "banned.txt", tmp_path / "suspect.txt"
    banned.write_text("# insults\nاحمق\n\nآشغال\nکرم\n", encoding="utf-8")
    suspect.write_text("خر\n", encoding="utf-8")
    return banned, suspect


def verdicts(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_one_verdict_per_line_with_the_phrase_that_matched(lists: tuple[Path, Path]) -> None:
    banned, suspect = lists
    texts = "تو احممممق هستی\nبه کرمان رفتیم\nتو خر هستی\n\nسرزمین‌های اشغالی\n"
    result = screen("--banned", str(banned), "--suspect", str(suspect), stdin=texts)
    assert result.returncode == 0, result.stderr
    assert verdicts(result) == [
        {"id": 1, "verdict": "banned", "phrase": "احمق"},
        {"id": 2, "verdict": "clean", "phrase": None},
        {"id": 3, "verdict": "suspect", "phrase": "خر"},
        {"id": 4, "verdict": "clean", "phrase": None},
        {"id": 5, "verdict": "clean", "phrase": None},
    ]
    # احمق, آشغال, کرم and خر are ordinary words: the admin is told they are found only as whole words.
    assert "4 of the 4 phrases are ordinary Persian words" in result.stderr.decode()


def test_json_lines_keep_their_ids_and_bad_lines_are_reported(lists: tuple[Path, Path]) -> None:
    banned, _ = lists
    texts = '{"id": "c-7", "text": "ک.ر.م"}\nnot json\n{"id": 8}\n{"id": 9, "text": "سلام"}\n'
    result = screen("--banned", str(banned), "--jsonl", stdin=texts)
    assert result.returncode == 2
    assert verdicts(result) == [
        {"id": "c-7", "verdict": "banned", "phrase": "کرم"},
        {"id": 9, "verdict": "clean", "phrase": None},
    ]
    errors = result.stderr.decode()
    assert "line 2: skipped" in errors and "line 3: skipped" in errors


def test_a_missing_list_is_refused_with_its_name(tmp_path: Path) -> None:
    result = screen("--banned", str(tmp_path / "nope.txt"), stdin="سلام\n")
    assert result.returncode == 2 and b"nope.txt: no such file." in result.stderr and not result.stdout


def test_screen_is_listed_in_the_help() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, env=clean_env(), timeout=60)
    assert b"screen" in result.stdout


def test_the_command_and_the_evaluation_give_the_same_verdicts(tmp_path: Path) -> None:
    """`make eval`'s figures are what `python -m bot screen` does: the same verdict on every one of our comments."""
    from bot.cli_screen import read_list
    from bot.moderation.evaluate import BANNED, MIN_LETTERS, NEUTRAL, OFFENSIVE, filter_matcher, letters

    for path in BANNED:
        banned = [phrase for phrase in read_list(str(path)) if letters(phrase) >= MIN_LETTERS]
        listed = tmp_path / path.name
        listed.write_text("\n".join(banned) + "\n", encoding="utf-8")
        texts = read_list(str(OFFENSIVE)) + read_list(str(NEUTRAL))
        result = screen("--banned", str(listed), stdin="\n".join(texts) + "\n")
        assert result.returncode == 0, result.stderr
        matcher = filter_matcher(banned)
        expected = [matcher(text) for text in texts]
        assert [v["phrase"] for v in verdicts(result)] == expected
        assert any(expected) and not all(expected)
