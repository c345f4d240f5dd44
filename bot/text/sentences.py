"""Sentence splitting for Persian news text.

hazm's sent_tokenize merges lines that have no final punctuation (headlines, list items, a quote's last
line) into the next sentence; here every line is its own unit first, then split on Persian and Latin
sentence punctuation, outside «quotes» and parentheses, never inside a number (`۱۰٫۵`, `3.5`) or after a
one-letter abbreviation (`ق.م`).
"""

from __future__ import annotations

import re

from bot.text.chars import LETTERS

ENDERS = ".!?؟…"
CLOSERS = "»\"')]”’"
OPENERS = {"«": "»", "(": ")", "[": "]", "“": "”"}
# A period glued to the next word is a lost space in agency copy (`دیدار کرد.الشیبانی`).
# (The period first, with the lookbehind after it: the regex engine then scans for periods, where a lookbehind
# first is tried at every character.)
GLUED_PERIOD = re.compile(f"\\.(?<=[{LETTERS}]{{2}}\\.)(?=[{LETTERS}])")
MAX_QUOTE_SPAN = 400  # a quote left open by a typo must not swallow the rest of the article


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for line in text.split("\n"):
        line = GLUED_PERIOD.sub(". ", line.strip())
        if line:
            sentences.extend(_split_line(line))
    return sentences


# The only characters that change the state of the split: everything between them is skipped in one step.
MARKS = re.compile("[" + re.escape("".join(OPENERS) + "".join(OPENERS.values()) + ENDERS) + "]")


def _split_line(line: str) -> list[str]:
    out: list[str] = []
    start = 0
    depth: list[tuple[str, int]] = []
    previous = -1  # the last character looked at: the quote-span check ran there
    mark = MARKS.search(line)
    while mark:
        i = mark.start()
        if depth and i - 1 > previous and i - 1 - depth[-1][1] > MAX_QUOTE_SPAN:
            depth.clear()  # what a character in between would have done
        char = line[i]
        if char in OPENERS:
            depth.append((OPENERS[char], i))
        elif depth and char == depth[-1][0]:
            depth.pop()
        if depth and i - depth[-1][1] > MAX_QUOTE_SPAN:
            depth.clear()
        previous = i
        if char in ENDERS and not depth and _is_boundary(line, i):
            end = i + 1
            while end < len(line) and (line[end] in ENDERS or line[end] in CLOSERS):
                end += 1
            piece = line[start:end].strip()
            if piece:
                out.append(piece)
            start = end
            previous = end - 1
            mark = MARKS.search(line, end)
            continue
        mark = MARKS.search(line, i + 1)
    tail = line[start:].strip()
    if tail:
        if out and not any(ch.isalnum() for ch in tail):
            out[-1] += tail  # stray closing marks belong to the previous sentence
        else:
            out.append(tail)
    return out


def _is_boundary(line: str, i: int) -> bool:
    if line[i] == ".":
        before = line[i - 1] if i else " "
        after = line[i + 1] if i + 1 < len(line) else " "
        if before.isdigit() and after.isdigit():
            return False  # a decimal point
        if i >= 2 and line[i - 2] in " .(" and before.isalpha():
            return False  # a one-letter abbreviation: ق.م، U.S.
        if after not in " \t" and after not in CLOSERS and after not in ENDERS:
            return False
    return True
