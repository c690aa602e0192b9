"""Derived search and sort keys for Chinese names.

Records store two columns computed from their name, so that lists behave the same
whatever the database:

* ``search_key`` -- matched with a plain substring search. It holds the simplified
  name and its pinyin initials, so 娄底市安徽商会 is found by "安徽", "ldsahsh" or the
  traditional 婁底市安徽商會. Initials cover *every* reading of each character
  (长 is both cháng and zhǎng, so 娄底市长沙商会 answers "ldscssh" and "ldszssh"):
  a user typing initials has no way to know which reading a phrase dictionary picked.
  Variants are separated by spaces and queries carry none, so a query never
  matches across two variants.
* ``sort_key`` -- plain ASCII pinyin, one syllable per character, separated by a
  space (below every letter and digit), so "li si" < "lin". SQLite and PostgreSQL
  order Chinese text differently (code points, or whatever the locale says);
  comparing ASCII bytes gives the same pinyin order on both, provided the column
  compares bytewise (SQLite's default BINARY; PostgreSQL needs the "C" collation,
  since locale collations ignore spaces).

繁简: every input is first converted traditional -> simplified with OpenCC, so
traditional and simplified spellings produce the same keys.
"""

import functools
import re
import unicodedata

import opencc
from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 64
SORT_KEY_LENGTH = 200

_WHITESPACE = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def _normal(text: str) -> str:
    """Full-width folded, simplified, lowercased, without whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub("", to_simplified(text).lower())


def normalise_query(q: str) -> str:
    """A search-box query made comparable with ``search_key`` (``__contains``)."""
    return _normal(q)


@functools.lru_cache(maxsize=32768)
def _readings(ch: str) -> tuple[str, ...]:
    """Distinct initials of every reading of ``ch``; ``()`` for punctuation.
    Cached: names repeat a few thousand characters, and an import of 100,000
    rows would otherwise ask pypinyin for each of millions of them."""
    found = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    if found:
        return tuple(dict.fromkeys(r.lower() for r in found[0]))
    return (ch,) if ch.isalnum() else ()


def pinyin_initials(text: str, limit: int = MAX_VARIANTS) -> list[str]:
    """Initials of ``text``, one string per combination of readings.

    At most ``limit`` variants: readings are taken in pypinyin's order while they
    fit, later characters keep their first reading. The first variant always uses
    every character's first reading.
    """
    variants = [""]
    for ch in _normal(text):
        readings = _readings(ch)
        if not readings:
            continue
        readings = readings[: max(1, limit // len(variants))]
        variants = [v + r for v in variants for r in readings]
    return [v for v in variants if v]


def search_key(*texts: str) -> str:
    """Space-separated, de-duplicated: each simplified text and its initials."""
    parts: list[str] = []
    for text in texts:
        parts.append(_normal(text))
        parts.extend(pinyin_initials(text))
    return " ".join(dict.fromkeys(p for p in parts if p))


def _ascii_words(chunk: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", chunk).encode("ascii", "ignore").decode()
    return _ASCII_WORD.findall(folded.lower())


SORT_SEPARATOR = "0"


def sort_key(text: str) -> str:
    """ASCII pinyin ("lou0di0shi0an0hui0shang0hui"), at most 200 characters."""
    text = to_simplified(unicodedata.normalize("NFKC", text))
    words = [w for chunk in lazy_pinyin(text) for w in _ascii_words(chunk)]
    # "0" ends each syllable: it sorts below every letter in byte order and in
    # every locale's collation alike (where a space would be ignored), so
    # 李四 (li0si) comes before 林 (lin) on SQLite and on any PostgreSQL.
    return SORT_SEPARATOR.join(words)[:SORT_KEY_LENGTH].rstrip(SORT_SEPARATOR)
