"""The library's own number formats equal the CLDR formats Babel writes (en_GB, fr_FR).

A core install (no Babel) must write the same French report as a full install:
the formats are the library's own, and this test holds them to Babel's output
for the same pattern, on any finite number (docs/reference/cli.md, reports).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from impactkit import _i18n
from impactkit._i18n import fmt_money, fmt_number, fmt_pct

babel_numbers = pytest.importorskip("babel.numbers")
from babel import Locale  # noqa: E402

LOCALE = {"en": "en_GB", "fr": "fr_FR"}
FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e18, max_value=1e18)


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _rounds_to_zero(x: float, decimals: int, scale: int = 0) -> bool:
    """True when the figure shown is zero (its sign, which Babel writes, is left out)."""
    d = Decimal(repr(abs(x))).scaleb(scale)
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN) == 0


def _babel_number(x: float, lang: str, decimals: int) -> str:
    return babel_numbers.format_decimal(x, format=_pattern(decimals), locale=LOCALE[lang])


def _babel_pct(x: float, lang: str, decimals: int) -> str:
    loc = Locale.parse(LOCALE[lang])
    pattern = loc.percent_formats[None].pattern.split(";")[0].replace("#,##0", _pattern(decimals))
    return babel_numbers.format_percent(x, format=pattern, locale=loc)


def _babel_money(x: float, currency: str, lang: str, decimals: int) -> str:
    loc = Locale.parse(LOCALE[lang])
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("#,##0.00", _pattern(decimals))
    return babel_numbers.format_currency(
        x, currency, format=pattern, locale=loc, currency_digits=False
    )


@settings(max_examples=300, deadline=None)
@given(FINITE, st.sampled_from(["en", "fr"]), st.integers(0, 3))
def test_numbers_equal_babel(x, lang, decimals):
    assume(not _rounds_to_zero(x, decimals) or math.copysign(1.0, x) > 0)
    assert fmt_number(x, lang, decimals=decimals) == _babel_number(x, lang, decimals)


@settings(max_examples=300, deadline=None)
@given(FINITE, st.sampled_from(["en", "fr"]), st.integers(0, 2))
def test_percentages_equal_babel(x, lang, decimals):
    assume(abs(x) < 1e15)
    assume(not _rounds_to_zero(x, decimals, scale=2) or math.copysign(1.0, x) > 0)
    assert fmt_pct(x, lang, decimals=decimals) == _babel_pct(x, lang, decimals)


@settings(max_examples=300, deadline=None)
@given(
    FINITE,
    st.sampled_from(["en", "fr"]),
    st.integers(0, 2),
    st.sampled_from(sorted(_i18n._SYMBOLS["en"])),
)
def test_money_equals_babel_for_the_known_currencies(x, lang, decimals, currency):
    assume(not _rounds_to_zero(x, decimals) or math.copysign(1.0, x) > 0)
    assert fmt_money(x, currency, lang, decimals=decimals) == _babel_money(
        x, currency, lang, decimals
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_value_rounding_to_zero_has_no_sign(lang):
    assert fmt_number(-0.004, lang) == fmt_number(0.0, lang)
    assert fmt_number(-0.005, lang) == fmt_number(0.0, lang)  # half to even: 0
    assert fmt_number(-0.4, lang, decimals=0) == "0"
    assert fmt_pct(-0.00001, lang).startswith("0")
    assert not fmt_money(-0.2, "EUR", lang).startswith("-")


def test_every_finite_float_is_written_in_full():
    assert fmt_number(1e300, "en", decimals=0) == "1" + ",000" * 100
    assert fmt_number(5e-324, "fr") == "0,00"
    assert fmt_number(-math.pi * 1e6, "fr") == "-3\u202f141\u202f592,65"


def test_unknown_currency_is_written_as_its_code():
    assert fmt_money(12.5, "MAD", "fr", decimals=1) == "12,5\xa0MAD"
    assert fmt_money(12.5, "MAD", "en", decimals=1) == "MAD12.5"


def test_formats_do_not_need_babel(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_babel(name, *args, **kwargs):
        if name.startswith("babel"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_babel)
    assert fmt_money(3026198, "EUR", "fr") == "3\u202f026\u202f198\xa0€"
    assert fmt_number(1.81, "fr") == "1,81"


def test_numpy_scalars_are_written_like_floats():
    import numpy as np

    assert fmt_number(np.float64(1234.5), "fr") == fmt_number(1234.5, "fr")
    assert fmt_pct(np.float32(0.25), "en") == "25.0%"
