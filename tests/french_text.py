"""What a French report must not contain: English sentences and code notation."""

from __future__ import annotations

import html
import re

# Common English function words that French never writes as words ("an", "on", "or",
# "as", "a", "en" are French words too, so they are left out).
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "be",
        "by",
        "for",
        "with",
        "from",
        "that",
        "this",
        "which",
        "would",
        "was",
        "were",
        "it",
        "its",
        "their",
        "has",
        "have",
        "not",
        "in",
        "at",
        "than",
        "when",
        "who",
        "will",
        "can",
        "should",
        "into",
        "been",
        "these",
        "those",
        "there",
    ]
)

CODE = (
    re.compile(r"\w+\(\w+=[^)]*\)"),  # a call with a keyword: france_2021(beta=1)
    re.compile(r"\[catalogue:"),  # a catalogue key
    re.compile(r"\bcatalogue:\w"),
    re.compile(r"\(1 \+ r\)\^t|\^t\b"),  # a formula in code notation
    re.compile(r"P\(\s*>"),  # P(> 1)
    re.compile(r"\b\w+\[\d+\]\.\w+"),  # a model path: outcomes[0].quantity
    # a year grouped (2 023): a year of 1900-2199 with a space after its first digit; a
    # count such as 1 243 people is a number, grouped as French numbers are
    re.compile(r"\b(?:1\s9\d{2}|2\s[01]\d{2})\b(?= prices| \(| ;|$)"),
)


def visible_chunks(page: str) -> list[str]:
    """The page's text, one chunk per element, without markup, styles or charts."""
    text = re.sub(r"<svg.*?</svg>", "\n", page, flags=re.S)
    text = re.sub(r"<style>.*?</style>", "\n", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    text = html.unescape(text).replace("\xa0", " ").replace("\u202f", " ")
    return [c.strip() for c in text.split("\n") if c.strip()]


def english_sentences(page: str) -> list[str]:
    """Sentences holding three or more distinct English function words."""
    out = []
    for chunk in visible_chunks(page):
        for sentence in re.split(r"(?<=[.!?;:])\s+", chunk):
            words = set(re.findall(r"[a-z']+", sentence.lower()))
            if len(words & ENGLISH_WORDS) >= 3:
                out.append(sentence)
    return out


def code_notation(page: str) -> list[str]:
    """Chunks of running text written as code."""
    return [c for c in visible_chunks(page) for rx in CODE if rx.search(c)]
