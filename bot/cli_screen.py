"""`python -m bot screen`: try word lists on texts before turning them on (no database, no Telegram)."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.moderation.wordfilter import Filter, WordFilter

EXIT_BAD_INPUT = 2
ORDINARY_SHOWN = 12


class ListError(Exception):
    """A word list that cannot be read; the message says why and what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--banned", required=True, metavar="FILE", help="banned phrases, one a line")
    parser.add_argument("--suspect", metavar="FILE", help="suspect phrases (held for review), one a line")
    parser.add_argument(
        "--jsonl", action="store_true", help='read JSON lines {"id", "text"} from stdin instead of one text a line'
    )


def read_list(path: str) -> list[str]:
    """The phrases of a list file: one a line; blank lines and lines starting with # are skipped."""
    file = Path(path)
    if not file.is_file():
        raise ListError(f"{path}: no such file.")
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise ListError(f"{path}: not UTF-8 text (byte {error.start}); convert it to UTF-8.") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def verdict(words: WordFilter, item_id: object, text: str) -> dict[str, object]:
    hit: Filter | None = words.match(text)
    return {"id": item_id, "verdict": hit.kind if hit else "clean", "phrase": hit.phrase if hit else None}


def inputs(stream: TextIO, jsonl: bool) -> Iterable[tuple[int, object, str | None]]:
    """(line number, id, text) per input line; text is None for a JSON line that is not an object with a text."""
    for number, line in enumerate(stream, start=1):
        line = line.rstrip("\r\n")
        if not jsonl:
            yield number, number, line
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            yield number, item.get("id"), item["text"]
        else:
            yield number, None, None


def run(args: argparse.Namespace) -> int:
    try:
        banned = read_list(args.banned)
        suspect = read_list(args.suspect) if args.suspect else []
    except ListError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    words = WordFilter.of(banned, suspect)
    ordinary = [phrase for phrase in banned + suspect if words.is_ordinary(phrase)]
    if ordinary:
        shown = ", ".join(ordinary[:ORDINARY_SHOWN]) + (", …" if len(ordinary) > ORDINARY_SHOWN else "")
        print(
            f"note: {len(ordinary)} of the {len(banned) + len(suspect)} phrases are ordinary Persian words, found"
            f" only as whole words (not with a suffix glued to them, nor in Finglish): {shown}",
            file=sys.stderr,
        )
    failed = 0
    # Bytes that are not UTF-8 become U+FFFD: a text is screened rather than the run stopped.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace")
    for number, item_id, text in inputs(stdin, args.jsonl):
        if text is None:
            print(f"line {number}: skipped, not a JSON object with a string field text", file=sys.stderr)
            failed += 1
            continue
        print(json.dumps(verdict(words, item_id, text), ensure_ascii=False))
    sys.stdout.flush()
    return EXIT_BAD_INPUT if failed else 0
