"""What makes two items the same story: guid, canonical URL, title, or near-identical text."""

from __future__ import annotations

import hashlib
import re
import struct
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.text.normalize import matching_form

TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|ref|ref_src|ref_url|cmpid|at_medium|"
    r"at_campaign|rss|from|source|share)$",
    re.IGNORECASE,
)
SHINGLE = 3
PERMUTATIONS = 64
NEAR_DUPLICATE = 0.3  # estimated Jaccard of word 3-shingles; unrelated dev articles stay under 0.05
# Near-duplicates and title-only matches count within 48 hours: agencies reuse headlines (`گزارش تمرین
# پرسپولیس`, `صفحه اول روزنامه‌های امروز`) for a new story every day.
WINDOW_SECONDS = 48 * 3600
_MASK = (1 << 32) - 1
_SEEDS = [int.from_bytes(hashlib.blake2b(str(i).encode(), digest_size=4).digest(), "big") for i in range(PERMUTATIONS)]


def canonical_url(url: str | None) -> str | None:
    """Scheme and host in lower case, no tracking parameters, fragment, default port or trailing slash."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETERS.match(k)
    )
    path = parts.path.rstrip("/") or ""
    # http and https serve the same story; the canonical form keeps one scheme.
    return urlunsplit(("https", host, path, urlencode(query), ""))


def title_key(title: str) -> str:
    return matching_form(title)


def _shingles(text: str) -> set[int]:
    words = matching_form(text).split()
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    return {
        int.from_bytes(hashlib.blake2b(" ".join(words[i : i + SHINGLE]).encode(), digest_size=4).digest(), "big")
        for i in range(len(words) - SHINGLE + 1)
    }


def signature(text: str) -> bytes:
    """A MinHash signature: 64 minimums of word 3-shingle hashes under 64 cheap permutations."""
    shingles = _shingles(text)
    minimums = [min(((h ^ seed) * 0x9E3779B1) & _MASK for h in shingles) for seed in _SEEDS]
    return struct.pack(f">{PERMUTATIONS}I", *minimums)


BANDS = 32  # locality-sensitive hashing: 32 bands of 2 minimums; at similarity 0.3 a pair shares a band
ROWS = PERMUTATIONS // BANDS  # with probability 1 - (1 - 0.3²)³² ≈ 0.95, at 0.05 only about 8 %


def bands(sig: bytes) -> list[bytes]:
    width = 4 * ROWS
    return [bytes([i]) + sig[i * width : (i + 1) * width] for i in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    if len(a) != len(b) or not a:
        return 0.0
    first = struct.unpack(f">{PERMUTATIONS}I", a)
    second = struct.unpack(f">{PERMUTATIONS}I", b)
    return sum(x == y for x, y in zip(first, second, strict=True)) / PERMUTATIONS
