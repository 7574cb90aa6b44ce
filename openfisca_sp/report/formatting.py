"""How the report writes numbers and dates, in the reader's locale: counts, money, rates, points, axis labels,
months and the report's date, all from CLDR through Babel (no hand-written locale tables).

The locale is chosen once per report with :func:`formatted_in` (a context variable, so reports rendered in
parallel threads do not mix); outside it, English. Every formatter keeps ``None`` (not modelled, or no
denominator) as ``None`` so that the caller decides what a missing figure reads. Headings and sentences stay
in English: only numbers and dates follow the locale.
"""

from __future__ import annotations

import contextvars
import copy
import datetime
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from babel import Locale, localedata
from babel.dates import format_datetime, format_skeleton
from babel.numbers import (
    NumberPattern,
    format_decimal,
    format_scientific,
    get_currency_precision,
)

from openfisca_sp.rules.wording import PERCENTAGE_POINTS, count_text, count_value

NOT_MODELLED = "not modelled"
NONE = "–"  # a ratio without a denominator (no beneficiaries, no winners): nothing to show
NO_ONE = "no one in the group"  # a group's rate that is modelled, of a group the table holds no one in
LOCALES = {"en": "English", "lo": "Lao", "vi": "Vietnamese", "tg": "Tajik", "ru": "Russian"}
DEFAULT_LOCALE = "en"
# When the installed Babel has no CLDR data for a locale, its numbers and dates follow this one (said in the report).
FALLBACKS = {"tg": "ru", "lo": "en", "vi": "en", "ru": "en"}
SPACE = "\u00a0"  # CLDR's currencySpacing insertBetween (Babel does not apply currencySpacing)


class UnknownLocaleError(ValueError):
    """A locale the report is not written in."""


@dataclass(frozen=True)
class ReportLocale:
    """The locale asked for (the page's ``lang``), the CLDR locale its numbers and dates use, and why if another."""

    code: str
    cldr: Locale
    note: str | None = None


def report_locale(code: str | None = None) -> ReportLocale:
    """The report's locale for ``code`` (default English); an unsupported code is refused, naming the supported."""
    code = code or DEFAULT_LOCALE
    if code not in LOCALES:
        supported = ", ".join(f"{name} ({language})" for name, language in LOCALES.items())
        raise UnknownLocaleError(f"unknown locale {code!r}: the report's locales are {supported}")
    if localedata.exists(code):
        return ReportLocale(code, Locale.parse(code))
    fallback = FALLBACKS[code]
    note = (
        f"The installed Babel has no CLDR data for {LOCALES[code]} ({code}): numbers and dates follow "
        f"{LOCALES[fallback]} ({fallback}) conventions."
    )
    return ReportLocale(code, Locale.parse(fallback), note)


_CURRENT: contextvars.ContextVar[ReportLocale | None] = contextvars.ContextVar("report_locale", default=None)


@contextmanager
def formatted_in(locale: ReportLocale) -> Iterator[ReportLocale]:
    """Format numbers and dates in ``locale`` within the block."""
    token = _CURRENT.set(locale)
    try:
        yield locale
    finally:
        _CURRENT.reset(token)


def current() -> Locale:
    """The CLDR locale numbers and dates are formatted in now."""
    chosen = _CURRENT.get()
    return chosen.cldr if chosen else Locale.parse(DEFAULT_LOCALE)


def _pattern(kind: str, digits: int, signed: bool) -> NumberPattern:
    """The locale's standard pattern of ``kind`` with exactly ``digits`` decimals, and an explicit plus sign
    (CLDR: the negative subpattern with the minus replaced by a plus) when ``signed``."""
    locale = current()
    formats = {"decimal": locale.decimal_formats, "percent": locale.percent_formats}
    base = locale.currency_formats["standard"] if kind == "currency" else formats[kind][None]
    pattern = copy.copy(base)
    pattern.frac_prec = (digits, digits)
    if signed:
        pattern.prefix = (base.prefix[1].replace("-", "+"), base.prefix[1])
        pattern.suffix = (base.suffix[1].replace("-", "+"), base.suffix[1])
    if kind == "currency":  # the ISO code (CLDR's ¤¤) where the locale puts its symbol: "LAK", never ₭ or ₫
        pattern.prefix = tuple(text.replace("¤", "¤¤") for text in pattern.prefix)
        pattern.suffix = tuple(text.replace("¤", "¤¤") for text in pattern.suffix)
    return pattern


SIGNS = "+-\u2212"  # plus, hyphen-minus and the minus sign


def _currency_spacing(text: str, symbol: str) -> str:
    """CLDR's currencySpacing: a no-break space between a currency code or symbol ending (or starting) with a letter
    and an adjacent digit ("LAK 1,234", not "LAK1,234"), or the sign a locale's pattern puts between the code and
    the digits (Lao's ``¤-#,##0``: "LAK +149,121", not "LAK+149,121" beside "LAK 149,121"); a symbol such as ₭
    would stay attached."""

    def spaced(edge: str) -> bool:
        return unicodedata.category(edge)[0] not in "SZ"

    start = text.find(symbol)
    if start < 0 or not symbol:
        return text
    end = start + len(symbol)
    if end < len(text) and (text[end].isdigit() or text[end] in SIGNS) and spaced(symbol[-1]):
        text = text[:end] + SPACE + text[end:]
    elif start > 0 and text[start - 1].isdigit() and spaced(symbol[0]):
        text = text[:start] + SPACE + text[start:]
    return text


def _number(value: float, kind: str, digits: int, signed: bool, currency: str | None = None) -> str:
    rounded = round(float(value), digits + (2 if kind == "percent" else 0)) + 0.0  # no "-0"
    pattern = _pattern(kind, digits, signed and rounded > 0)
    text = pattern.apply(rounded, current(), currency=currency, currency_digits=False)
    return _currency_spacing(text, currency) if currency else text


def decimal(value: float | None, digits: int = 0, signed: bool = False) -> str | None:
    """A number with ``digits`` decimals and the locale's separators (``None`` stays ``None``)."""
    return None if value is None else _number(value, "decimal", digits, signed)


def count(value: float | None, signed: bool = False) -> str | None:
    """A weighted count as every output states it (:func:`~openfisca_sp.rules.wording.count_value`: to a hundredth,
    with the decimals it has: 15,258.15 persons, as ``simulate`` and ``compare`` print and write them, not 15,258),
    with the locale's grouping (``None`` stays ``None``)."""
    if value is None:
        return None
    written = count_value(value)
    return decimal(written, len(count_text(written).partition(".")[2]), signed)


def money(value: float | None, currency: str, signed: bool = False) -> str | None:
    """An amount in the locale's currency format, with the currency's decimals (0 for LAK and VND, 2 for TJS)."""
    if value is None:
        return None
    if not currency:
        return decimal(value, 0, signed)
    return _number(value, "currency", get_currency_precision(currency), signed, currency)


def percent(value: float | None, digits: int = 1, signed: bool = False) -> str | None:
    """A share (0.627) as the locale writes a percentage, with ``digits`` decimals."""
    return None if value is None else _number(value, "percent", digits, signed)


def rate(value: float | None) -> str | None:
    """A share as a percentage with one decimal."""
    return percent(value, 1)


def points(value: float | None) -> str | None:
    """A change of rate (a difference of shares: 0.373) in percentage points, one decimal: the number in the
    locale, the unit :data:`PERCENTAGE_POINTS` in every locale (CLDR names no such unit); one that rounds to
    nothing has no sign."""
    return None if value is None else f"{decimal(value * 100, 1, signed=True)}{SPACE}{PERCENTAGE_POINTS}"


def scientific(value: float) -> str:
    """A small bound such as 1.2E-5 with the locale's symbols (one decimal: CLDR's own scientific pattern for lo
    is ``#``, which would print 0)."""
    return format_scientific(value, "0.0E0", locale=current())


def _compact_form(value: float) -> tuple[float, int]:
    """The divisor of ``value``'s compact form in the current locale (1 below the first, as 999) and the CLDR
    magnitude whose pattern writes it (0 for none): 1,250,000 is 1.25 millions in English, 1,25 triệu in
    Vietnamese; beyond the largest magnitude, that one's (3,066.9 trillions)."""
    magnitudes = sorted((int(name) for name in current().compact_decimal_formats["short"]["other"]), reverse=True)
    magnitude = next((found for found in magnitudes if abs(value) >= found), 0)
    if not magnitude:
        return 1.0, 0
    zeros = current().compact_decimal_formats["short"]["other"][str(magnitude)].pattern.count("0")
    return (magnitude // 10 ** (zeros - 1) if zeros else 1), magnitude


def compact_digits(values: Iterable[float], most: int = 3, scale: float | None = None) -> int:
    """The fewest decimals (up to ``most``) with which :func:`compact` writes each of ``values`` exactly, as axis
    ticks need: 1,250,000 is 1.25M, never 1.2M beside 1.5M (ticks 250,000 apart read 1M, 1.2M, 1.5M, 1.8M, 2M);
    each in the compact form of ``scale`` where given (an axis's largest tick), else in its own."""
    needed = 0
    for value in values:
        divisor, magnitude = _compact_form(value if scale is None else scale)
        scaled = value / divisor if magnitude else value
        while needed < most and abs(round(scaled, needed) - scaled) > 1e-9 * max(1.0, abs(scaled)):
            needed += 1
    return needed


def compact(value: float, currency: str = "", digits: int = 1, scale: float | None = None) -> str:
    """A short axis or bar label: 1.2K, 3.4M (the locale's compact form, from CLDR), with at most ``digits``
    decimals and the currency code where the locale's currency pattern puts it. The number is grouped as the
    locale groups it (3.066,9 NT in Vietnamese, where Babel's compact form wrote 3066,9 NT beyond its largest
    magnitude). With ``scale``, in the compact form ``scale`` takes (an axis's ticks, all in its largest tick's:
    0.5K beside 1K; Lao's "7,5 ລ້ານລ້ານ" read beside "10ລລ", two CLDR forms of one unit), zero as a plain 0."""
    locale = current()
    divisor, magnitude = _compact_form(value if scale is None else scale)
    if not magnitude or (scale is not None and not value):  # below the compact forms Babel would print the float as
        number = format_decimal(round(value, max(digits, 3)) + 0.0, locale=locale)  # is (0.019999999999999997)
    else:
        scaled = round(value / divisor, digits) + 0.0
        if scale is None and _compact_form(scaled * divisor)[1] > magnitude:
            return compact(scaled * divisor, currency, digits)  # 999,950 rounds up to 1M, not 1000K
        forms = locale.compact_decimal_formats["short"]
        plural = locale.plural_form(abs(scaled))
        pattern = forms[plural][str(magnitude)] if plural in forms and str(magnitude) in forms[plural] else None
        pattern = copy.copy(pattern or forms["other"][str(magnitude)])
        pattern.grouping = locale.decimal_formats[None].grouping  # the locale's grouping, which CLDR's "000K" lacks
        pattern.int_prec, pattern.frac_prec = (1, 1), (0, digits)
        number = pattern.apply(scaled, locale)
    if not currency:
        return number
    before = "¤" in locale.currency_formats["standard"].prefix[0]
    return f"{currency}{SPACE}{number}" if before else f"{number}{SPACE}{currency}"


def compact_ticks(values: Sequence[float], currency: str = "") -> list[str]:
    """An axis's tick labels, all in one compact form: the one its largest tick (in size) takes, with the fewest
    decimals that write every tick exactly (0, 2.5T, 5T, 7.5T, 10T; 0.5K, 1K, 1.5K); zero as 0."""
    scale = max((abs(value) for value in values), default=0.0)
    digits = compact_digits(values, scale=scale)
    return [compact(value, currency, digits, scale) for value in values]


def share(part: float | None, whole: float | None) -> float | None:
    """``part / whole``, or ``None`` if either is missing or ``whole`` is zero."""
    return part / whole if part is not None and whole else None


def difference(new: float | None, old: float | None) -> float | None:
    """``new - old``, or ``None`` if either is missing."""
    return new - old if new is not None and old is not None else None


def month_label(month: str) -> str:
    """``2026-10`` as the locale writes a month and year (``October 2026``); anything else unchanged."""
    try:
        day = datetime.date.fromisoformat(f"{month}-01")
    except ValueError:
        return str(month)
    return format_skeleton("yMMMM", day, locale=current())


def timestamp(text: str | None) -> str | None:
    """An ISO 8601 date and time (the comparison's ``created``) in the locale's long format; anything else as is."""
    try:
        moment = datetime.datetime.fromisoformat(str(text))
    except ValueError:
        return text
    return format_datetime(moment, "long", tzinfo=moment.tzinfo or datetime.UTC, locale=current())
