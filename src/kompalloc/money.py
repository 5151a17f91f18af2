"""Amounts of money: read what people write, and write it back for people.

Money in kompalloc is always an ``int`` number of øre (1 krone = 100 øre), never
a float. :func:`parse_money` reads an amount as written in an input file
(``7 000 000``, ``1,5 MNOK``, ``kr 350 000,-``) and refuses anything ambiguous
(``20.000.000``, ``1,500``, ``2e7``) with a :class:`MoneyError` instead of
guessing. :func:`format_kr` and :func:`format_mnok` write amounts in reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fractions import Fraction

ORE_PER_KRONE = 100
MAX_DIGITS = 18  # digits written before scaling; longer inputs are refused
_MAX_CHARS = 80  # anything longer cannot be a valid amount; refuse it before any regex


@dataclass(frozen=True, slots=True)
class MoneyError:
    """Why a text could not be read as an amount."""

    message: str
    hint: str | None = None


_UNITS: dict[str, int] = {
    **dict.fromkeys(("kr", "kr.", "nok", "kroner"), 1),
    **dict.fromkeys(("tnok", "knok", "tusen"), 1_000),
    **dict.fromkeys(("mnok", "mill", "mill.", "million", "millioner"), 1_000_000),
    **dict.fromkeys(("mrd", "mrd.", "milliard", "milliarder"), 1_000_000_000),
}
_KNOWN_UNITS = (
    "kr, kr., NOK, kroner, ',-'; TNOK, kNOK, tusen; MNOK, mill, mill., million, "
    "millioner; mrd, mrd., milliard, milliarder"
)
_EXAMPLE = "write one amount such as '7 000 000 kr', '1,5 MNOK' or 'kr 350 000,-'"
_SEPARATORS = (
    "use a space between thousands and a comma for decimals, e.g. '20 000 000' or '1,5 MNOK'"
)

# Same-length replacements, so match positions in the normalised text fit the original.
_NORMALISE = str.maketrans(
    {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-", "\u2013": "-"}
)
_UNIT = r"(?:[^\W\d_]+\.?|[$€£])"
_AMOUNT = re.compile(
    rf"""
    (?:(?P<prefix>{_UNIT})\s*)?              # 'kr 7 000 000', 'NOK 2 500 000'
    (?P<sign>[-+]\s*)?                       # matched only to refuse it clearly
    (?P<number>[0-9](?:[0-9.,\ ]*[0-9])?)    # separators are checked afterwards
    (?P<dash>,-)?                            # 'kr 350 000,-'
    (?:\s*(?P<unit>{_UNIT})(?:\s*(?P<unit2>{_UNIT}))?)?  # '1,5 MNOK', '1,5 mill. kr'
    """,
    re.VERBOSE | re.IGNORECASE,
)
_GROUPED = re.compile(r"[0-9]+|[0-9]{1,3}(?: [0-9]{3})+")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+(?:,[0-9]+)?")
_UNDERSCORES = re.compile(r"[0-9]_|_[0-9]")
_NOT_DECIMAL: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\b(?:inf(?:inity)?|nan)\b", re.IGNORECASE), "is not a finite number", _EXAMPLE),
    (
        re.compile(r"(?<![0-9])0[box][0-9a-f]", re.IGNORECASE),
        "is a hexadecimal, octal or binary number",
        "write the amount in decimal digits, e.g. '31'",
    ),
    (
        re.compile(r"[0-9]e[-+]?[0-9]", re.IGNORECASE),
        "uses an exponent",
        "write out all the digits, e.g. '20 000 000' or '20 MNOK'",
    ),
    (re.compile(r"[0-9]:[0-9]"), "looks like a time or a base-60 number (YAML 1.1)", _EXAMPLE),
)


def _group(n: int, space: str = " ") -> str:
    return f"{n:,}".replace(",", space)


def _respell(s: str, m: re.Match[str], group: str, new: str) -> str:
    return s[: m.start(group)] + new + s[m.end(group) :]


def _separator_error(shown: str, s: str, m: re.Match[str], sep: str, problem: str) -> MoneyError:
    """A misused '.' or ',': suggest the thousands and/or decimals reading."""
    num, options = m["number"], []
    if _THOUSANDS.fullmatch(thousands := num.replace(sep, " ")):
        options.append(f"'{_respell(s, m, 'number', thousands)}' for thousands")
    whole, _, frac = num.partition(sep)
    if num.count(sep) == 1 and not m["dash"] and frac.isdigit():
        frac = frac.rstrip("0") or "0"
        frac += "0" if len(frac) == 3 else ""  # '1,2340' is not ambiguous, '1,234' is
        options.append(f"'{_respell(s, m, 'number', f'{whole},{frac}')}' for decimals")
    hint = "write " + " or ".join(options) if options else _SEPARATORS
    return MoneyError(f"'{shown}' {problem}", hint)


def parse_money(text: str) -> int | MoneyError:
    """Read an amount written by a person and return it in øre, or a MoneyError."""
    shown = text.strip()
    if not shown:
        return MoneyError("the amount is empty", _EXAMPLE)
    if len(shown) > _MAX_CHARS:
        return MoneyError(
            f"'{shown[:20]}…' is too long to be an amount ({len(shown)} characters)",
            f"amounts have at most {MAX_DIGITS} digits",
        )
    s = shown.translate(_NORMALISE)
    for pattern, problem, hint in _NOT_DECIMAL:
        if pattern.search(s):
            return MoneyError(f"'{shown}' {problem}", hint)
    if _UNDERSCORES.search(s):
        fixed = re.sub(r"[0-9][0-9_]*", lambda r: _group(int(r[0].replace("_", ""))), s)
        return MoneyError(f"'{shown}' uses '_' between digits", f"write '{fixed}'")
    m = _AMOUNT.fullmatch(s)
    if m is None:
        several = len(re.findall(r"[0-9]+", s)) > 1
        what = "a single amount" if several else "an amount"
        return MoneyError(f"'{shown}' is not {what}", _EXAMPLE)
    number = _number(shown, s, m)
    if isinstance(number, MoneyError):
        return number
    digits, frac = number
    unit = _unit(shown, s, m)
    if isinstance(unit, MoneyError):
        return unit
    multiplier = _UNITS[unit.lower()]
    scale: int = 10 ** len(frac)
    ore, rest = divmod(int(digits + frac) * multiplier * ORE_PER_KRONE, scale)
    if rest:
        places = len(str(multiplier)) + 1  # 2 for kr, 5 for TNOK, 8 for MNOK, 11 for mrd
        return MoneyError(
            f"'{shown}' is not a whole number of øre", f"use at most {places} decimals with {unit}"
        )
    return ore


def _number(shown: str, s: str, m: re.Match[str]) -> tuple[str, str] | MoneyError:
    """The digits of an amount's whole part and its decimals, or why they are written wrongly."""
    num, dash, sign = m["number"], m["dash"], m["sign"]
    if sign and "-" in sign:
        return MoneyError(f"'{shown}' is negative: amounts cannot be negative")
    if sign:
        return MoneyError(f"'{shown}' has a '+' sign", f"write '{_respell(s, m, 'sign', '')}'")
    if "." in num:
        return _separator_error(
            shown, s, m, ".", "is ambiguous: '.' is not a separator in Norwegian amounts"
        )
    if num.count(",") + bool(dash) > 1:
        return _separator_error(
            shown, s, m, ",", "uses ',' between thousands; ',' is the decimal comma in Norwegian"
        )
    whole, _, frac = num.partition(",")
    if " " in frac:
        return MoneyError(f"'{shown}' has a space after the decimal comma", _SEPARATORS)
    if len(frac) == 3 and whole != "0":  # '0,001' cannot mean thousands
        return _separator_error(
            shown, s, m, ",", "is ambiguous: ',' and three digits could be thousands or decimals"
        )
    digits, tail = whole.replace(" ", ""), f",{frac}" if frac else ""
    if len(digits) > 1 and digits[0] == "0":
        return MoneyError(
            f"'{shown}' starts with a zero (YAML 1.1 reads such numbers as octal)",
            f"write '{_respell(s, m, 'number', _group(int(digits)) + tail)}'",
        )
    if not _GROUPED.fullmatch(whole):
        return MoneyError(
            f"'{shown}' has digits grouped wrongly: after the first group, "
            "groups of thousands have exactly three digits",
            f"write '{_respell(s, m, 'number', _group(int(digits)) + tail)}'",
        )
    if len(digits) + len(frac) > MAX_DIGITS:
        return MoneyError(f"'{shown}' has more than {MAX_DIGITS} digits", "that is not an amount")
    return digits, frac


def _unit(shown: str, s: str, m: re.Match[str]) -> str | MoneyError:
    """The unit an amount is written in ('kr' when none is), or why its units do not fit."""
    units = {slot: name for slot in ("prefix", "unit", "unit2") if (name := m[slot])}
    for name in units.values():
        if name.lower() not in _UNITS:
            return MoneyError(
                f"'{shown}' has an unknown unit '{name}'", f"known units: {_KNOWN_UNITS}"
            )
    scaling = [slot for slot, name in units.items() if _UNITS[name.lower()] != 1]
    # At most one 'kr'-like unit and one multiplier; a multiplier comes right after the number.
    if scaling not in ([], ["unit"]) or len(units) - len(scaling) > 1:
        return MoneyError(
            f"'{shown}' has units that do not fit together",
            "write e.g. '1,5 MNOK', '1,5 mill. kr' or 'kr 1 500 000'",
        )
    unit = units["unit"] if scaling else "kr"
    if m["dash"] and _UNITS[unit.lower()] != 1:
        return MoneyError(
            f"'{shown}': ',-' means whole kroner and cannot be used with '{unit}'",
            f"write '{_respell(s, m, 'dash', '')}'",
        )
    return unit


def _require_int(ore: object) -> None:
    if isinstance(ore, bool) or not isinstance(ore, int):
        raise TypeError(f"money must be an int number of øre, not {type(ore).__name__}")


def format_kr(ore: int, *, space: str = "\u00a0") -> str:
    """Write øre as kroner: '20 000 000 kr', '1 250 000,50 kr', '0 kr', '-5 000 kr'.

    ``space`` separates thousands and the unit (no-break space by default).
    Øre are shown only when there are some; negative amounts get a plain '-'.
    """
    _require_int(ore)
    kroner, rest = divmod(abs(ore), ORE_PER_KRONE)
    sign = "-" if ore < 0 else ""
    return f"{sign}{_group(kroner, space)}{f',{rest:02d}' if rest else ''}{space}kr"


def format_mnok(ore: int, decimals: int = 1) -> str:
    """Write øre as millions of kroner: '20,0 MNOK', '6,8 MNOK'.

    Rounds half away from zero on the exact integer (0,05 -> 0,1), never via float.
    An amount that rounds to zero is shown without a sign.
    """
    _require_int(ore)
    if decimals < 0:
        raise ValueError("decimals cannot be negative")
    per_mnok = ORE_PER_KRONE * 1_000_000
    steps, rest = divmod(abs(ore) * 10**decimals, per_mnok)
    if 2 * rest >= per_mnok:
        steps += 1
    whole, frac = divmod(steps, 10**decimals)
    sign = "-" if ore < 0 and steps else ""
    return f"{sign}{_group(whole)}{f',{frac:0{decimals}d}' if decimals else ''} MNOK"


def format_share(share: Fraction) -> str:
    """A share as a Norwegian percentage: Fraction(1, 8) -> '12,5 %', exact up to 4 decimals."""
    percent = share * 100
    whole, rest = divmod(percent.numerator * 10_000 // percent.denominator, 10_000)
    if rest == 0:
        return f"{whole} %"
    return f"{whole},{rest:04d}".rstrip("0") + " %"
