"""The words people's outputs are written in, in English and Norwegian (bokmål), in one place.

Every label is keyed by its stable English text: a table's title or column title, a status
(``funded``), a method, an institution type or a partner role code. Formats for people
(Rich tables, tabulate text, HTML, workbooks) look their words up here with :func:`word` and
:func:`value`; machine formats (CSV, JSON) keep the English keys and codes as they are.

Norwegian wording follows the calls' own (see ../shared/domain-facts.md): *innvilget*,
*delvis innvilget*, *ikke innvilget*, *avvist*; *pott*, *ramme*, *tilsagn*.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum


class Lang(StrEnum):
    """The languages of people's outputs."""

    EN = "en"
    """English (the default)."""
    NB = "nb"
    """Norwegian bokmål."""


def parse_lang(text: str | None) -> Lang | None:
    """A language code as written on the command line or in the project file, or None."""
    if text is None:
        return None
    try:
        return Lang(text.strip().lower())
    except ValueError:
        return None


WORDS_NB: dict[str, str] = {
    # page titles and the facts at the head of a page
    "Allocation report": "Tildelingsrapport",
    "Allocation decisions": "Tildelingsvedtak",
    "Scenario comparison": "Sammenligning av scenarioer",
    "Notes": "Merknader",
    "As of": "Per dato",
    "no date used (every application loaded)": "ingen dato brukt (alle søknader lest inn)",
    "Inputs": "Inndata",
    "Overrides": "Overstyringer",
    "Made by": "Laget med",
    # table titles
    "Schemes and pools": "Ordninger og potter",
    "Clusters": "Klynger",
    "Applications": "Søknader",
    "Rounds": "Runder",
    "Summary": "Sammendrag",
    "Schemes": "Ordninger",
    "Pools": "Potter",
    "Institutions": "Institusjoner",
    "Limits": "Grenser",
    "Changes": "Endringer",
    # column titles
    "Pool": "Pott",
    "Cap": "Ramme",
    "Committed": "Bundet",
    "Available": "Tilgjengelig",
    "Granted": "Innvilget",
    "Remaining": "Igjen",
    "Used": "Brukt",
    "Cluster": "Klynge",
    "Region": "Region",
    "Apps": "Søknader",
    "Funded": "Innvilget",
    "Asked": "Søkt",
    "Share": "Andel",
    "ID": "ID",
    "Round": "Runde",
    "Institution": "Institusjon",
    "Rank": "Rang",
    "Status": "Status",
    "Reason": "Begrunnelse",
    "Method": "Metode",
    "Partial": "Delvis",
    "Not funded": "Ikke innvilget",
    "Rejected": "Avvist",
    "Name": "Navn",
    "Administrator": "Forvalter",
    "Deadline": "Søknadsfrist",
    "Who may apply": "Hvem kan søke",
    "Parent": "Overordnet",
    "Year": "År",
    "Type": "Type",
    "Org. number": "Org.nr.",
    "Scheme": "Ordning",
    "Submitted": "Sendt inn",
    "Per": "Per",
    "+/- step": "+/- per steg",
    "In full": "Fullt",
    "Left in pool": "Igjen i potten",
    "Funding line": "Tilskuddsgrense",
    "Scenario": "Scenario",
    "Baseline": "Grunnlag",
    "Granted before": "Innvilget før",
    "Change": "Endring",
    "Gained": "Vunnet",
    "Gainers": "Vinnere",
    "Lost": "Tapt",
    "Losers": "Tapere",
    "Newly funded": "Nye innvilget",
    "Dropped": "Falt ut",
    "Changed": "Endret",
    "Before": "Før",
    "After": "Etter",
    "Total": "Sum",
    # sentences and their pieces
    "Amounts in kroner.": "Beløp i kroner.",
    "Amounts in MNOK.": "Beløp i millioner kroner (MNOK).",
    "Rounded so that the parts add up to the totals shown (largest remainder).": (
        "Avrundet slik at delene summerer seg til summene som vises (største rest)."
    ),
    "left out at this width": "utelatt ved denne bredden",
    "shows it": "viser den",
    "shows them": "viser dem",
    "part": "del",
    "of": "av",
    "split in": "delt i",
    "parts at this width": "deler ved denne bredden",
    "nothing changes": "ingenting endres",
    "no change": "ingen endring",
    "Per cluster": "Per klynge",
    "Per pool": "Per pott",
    "(no cluster)": "(ingen klynge)",
    "yes": "ja",
    "no": "nei",
}

STATUS: dict[str, tuple[str, str]] = {
    "funded": ("funded", "innvilget"),
    "partial": ("partial", "delvis innvilget"),
    "not funded": ("not funded", "ikke innvilget"),
    "rejected": ("rejected", "avvist"),
}
METHOD: dict[str, tuple[str, str]] = {
    "priority": ("priority", "prioritert rekkefølge"),
    "pro-rata": ("pro-rata", "forholdsmessig"),
    "pro_rata": ("pro-rata", "forholdsmessig"),
    "capped-equal": ("capped-equal", "lik fordeling med tak"),
    "capped_equal": ("capped-equal", "lik fordeling med tak"),
    "apportion": ("apportion", "fordeling på andeler"),
}
INSTITUTION_TYPE: dict[str, tuple[str, str]] = {
    "universitet": ("university", "universitet"),
    "universitet_akkreditert": ("accredited university", "akkreditert universitet"),
    "hogskole_statlig": ("state university college", "statlig høgskole"),
    "hogskole_privat_offentlig_stotte": (
        "private university college with public funding",
        "privat høgskole med offentlig støtte",
    ),
    "hogskole_privat": ("private university college", "privat høgskole"),
    "fagskole_offentlig": ("public vocational college", "offentlig fagskole"),
    "fagskole_privat_offentlig_stotte": (
        "private vocational college with public funding",
        "privat fagskole med offentlig støtte",
    ),
    "fagskole_privat": ("private vocational college", "privat fagskole"),
    "videregaende_skole": ("upper secondary school", "videregående skole"),
    "fylkeskommune": ("county authority", "fylkeskommune"),
    "studieforbund": ("study association", "studieforbund"),
    "privat_tilbyder": ("private provider", "privat tilbyder"),
}
ROLE: dict[str, tuple[str, str]] = {
    "company": ("company", "bedrift"),
    "employee_representative": ("employee representative", "tillitsvalgt"),
    "employer_organisation": ("employer organisation", "arbeidsgiverorganisasjon"),
    "union": ("union", "fagforening"),
    "cluster_organisation": ("cluster organisation", "klyngeorganisasjon"),
    "public_body": ("public body", "offentlig organ"),
    "other": ("other", "annet"),
}
VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "status": STATUS,
    "method": METHOD,
    "institution_type": INSTITUTION_TYPE,
    "role": ROLE,
}
"""Codes and their (English, Norwegian) labels, by the vocabulary a column names."""

REASON_PARTS: dict[str, tuple[str, str]] = {
    "full request": ("full request", "hele søknadsbeløpet"),
    "institution cap": ("institution cap", "institusjonstak"),
    "max grant": ("max grant", "største tilskudd"),
    "pool exhausted": ("pool exhausted", "potten er brukt opp"),
    "sub-pool exhausted": ("sub-pool exhausted", "delpotten er brukt opp"),
    "share exhausted": ("share exhausted", "andelen er brukt opp"),
    "too little in pool": ("too little in pool", "for lite igjen i potten"),
    "too little in sub-pool": ("too little in sub-pool", "for lite igjen i delpotten"),
    "too little in share": ("too little in share", "for lite igjen i andelen"),
    "too little in institution cap": (
        "too little in institution cap",
        "for lite igjen under institusjonstaket",
    ),
    "rest of pool": ("rest of pool", "resten av potten"),
    "rest of sub-pool": ("rest of sub-pool", "resten av delpotten"),
    "rest of share": ("rest of share", "resten av andelen"),
    "rest of institution cap": ("rest of institution cap", "resten under institusjonstaket"),
    "no partial": ("no partial", "tar ikke delvis tilskudd"),
    "skipped": ("skipped", "hoppet over"),
    "funding line": ("funding line", "tilskuddsgrense"),
    "after the funding line": ("after the funding line", "etter tilskuddsgrensen"),
    "nothing requested": ("nothing requested", "søker ikke om midler"),
    "nothing left": ("nothing left", "ingen midler igjen"),
    "below pool minimum": ("below pool minimum", "under pottens minste tilskudd"),
    "below its minimum": ("below its minimum", "under minstebeløpet"),
    "council decision": ("council decision", "styrevedtak"),
}


def _codes(vocab: dict[str, tuple[str, str]], text: str, n: int) -> str:
    return ", ".join(vocab.get(code.strip(), (code.strip(),) * 2)[n] for code in text.split(","))


_REASON_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], int], str]], ...] = (
    (
        re.compile(r"late \((?P<day>[^)]*)\)"),
        lambda m, n: ("late", "for sent")[n] + f" ({m['day']})",
    ),
    (
        re.compile(r"missing partner: (?P<roles>.*)"),
        lambda m, n: (
            ("missing partner", "mangler partner")[n]
            + ": "
            + " ".join(
                ROLE.get(r, (r, r))[n] if r != "and" else ("and", "og")[n]
                for r in m["roles"].split(" ")
            )
        ),
    ),
    (
        re.compile(r"(?P<type>[a-z_]+) not eligible"),
        lambda m, n: (
            INSTITUTION_TYPE.get(m["type"], (m["type"],) * 2)[n]
            + (" not eligible", " kan ikke søke")[n]
        ),
    ),
    (re.compile(r"earmark (?P<x>.*)"), lambda m, n: ("earmark ", "øremerket ")[n] + m["x"]),
    (re.compile(r"limit (?P<x>.*)"), lambda m, n: ("limit ", "grense ")[n] + m["x"]),
    (
        re.compile(r"group (?P<g>[^:]*): (?P<w>\S+) (?P<how>chosen|funded)"),
        lambda m, n: (
            ("group ", "gruppe ")[n]
            + f"{m['g']}: {m['w']} "
            + {"chosen": ("chosen", "valgt"), "funded": ("funded", "innvilget")}[m["how"]][n]
        ),
    ),
)


def reason(text: str, lang: Lang) -> str:
    """A decision's short reason in ``lang``: each '; '-separated part translated where it is
    a known phrase, institution types and partner roles named in words, other parts kept."""
    n = int(lang is Lang.NB)
    out = []
    for part in text.split("; "):
        known = REASON_PARTS.get(part)
        if known is not None:
            out.append(known[n])
            continue
        for pattern, say in _REASON_PATTERNS:
            m = pattern.fullmatch(part)
            if m is not None:
                out.append(say(m, n))
                break
        else:
            out.append(part)
    return "; ".join(out)


def word(text: str, lang: Lang = Lang.EN) -> str:
    """A heading or phrase (keyed by its English text) in ``lang``; unknown text as it is."""
    if lang is Lang.EN:
        return text
    return WORDS_NB.get(text, text)


def title(text: str, lang: Lang = Lang.EN) -> str:
    """A table title in ``lang``: 'Applications' or 'Applications: <round>' (the round's name
    stays as written)."""
    head, sep, rest = text.partition(": ")
    return word(head, lang) + sep + rest


def value(vocab: str | None, text: str, lang: Lang = Lang.EN) -> str:
    """A cell of a column with vocabulary ``vocab`` in ``lang``: statuses, methods, institution
    types (also lists of them) and partner roles in words, reasons phrase by phrase."""
    if vocab is None or not text:
        return text
    n = int(lang is Lang.NB)
    if vocab == "reason":
        return reason(text, lang)
    table = VOCABULARIES.get(vocab)
    if table is None:
        return text
    if vocab == "institution_type" and "," in text:
        return _codes(table, text, n)
    found = table.get(text)
    return found[n] if found else text


def status(code: str, lang: Lang = Lang.EN) -> str:
    """A status code ('funded', 'not funded', ...) in ``lang``."""
    return value("status", code, lang)


def left_out_note(names: list[str], whole: int, lang: Lang = Lang.EN) -> str:
    """Which columns a narrow terminal left out, and how to see them."""
    joined = ", ".join(names[:-1]) + (f" {('and', 'og')[lang is Lang.NB]} " if names[1:] else "")
    joined += names[-1]
    if lang is Lang.NB:
        return f"{joined} utelatt ved denne bredden; COLUMNS={whole} eller --format csv viser alt."
    them = "them" if len(names) > 1 else "it"
    return f"{joined} left out at this width; COLUMNS={whole} or --format csv shows {them}."


def split_note(parts: int, whole: int, lang: Lang = Lang.EN) -> str:
    """That a table was split in parts to fit, and how to see it whole."""
    if lang is Lang.NB:
        return f"Delt i {parts} deler ved denne bredden; COLUMNS={whole} viser tabellen samlet."
    return f"Split in {parts} parts at this width; COLUMNS={whole} shows it whole."


def part_title(title_text: str, part: int, parts: int, lang: Lang = Lang.EN) -> str:
    """A title with the part it is: 'Applications (1 of 2)'."""
    return f"{title_text} ({part} {('of', 'av')[lang is Lang.NB]} {parts})"


def stacked_note(whole: int, lang: Lang = Lang.EN) -> str:
    """That a table is shown as lists of fields, and how to see it as a table."""
    if lang is Lang.NB:
        return f"Vist som liste ved denne bredden; COLUMNS={whole} viser tabellen."
    return f"Shown as a list at this width; COLUMNS={whole} shows the table."
