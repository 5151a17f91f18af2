"""Diagnostics: problems found in the user's files, as data with a stable code and a position."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kompalloc.source import Span


class Severity(StrEnum):
    """How bad a diagnostic is: errors stop allocation, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Every diagnostic code kompalloc can emit. Codes are stable: never reuse or renumber one."""

    # KA0xx: files and folders
    PATH_NOT_FOUND = "KA001"
    PATH_UNREADABLE = "KA002"
    NO_YAML_FILES = "KA003"
    FILE_TOO_LARGE = "KA004"
    NOT_UTF8 = "KA005"
    # KA1xx: YAML the strict loader refuses
    YAML_SYNTAX = "KA101"
    DUPLICATE_KEY = "KA102"
    ALIAS = "KA103"
    TAG = "KA104"
    TOO_DEEP = "KA105"
    MULTIPLE_DOCUMENTS = "KA106"
    COMPLEX_KEY = "KA107"
    CONTROL_CHARACTER = "KA108"
    # KA2xx: structure and types
    NOT_A_MAPPING = "KA201"
    UNKNOWN_KEY = "KA202"
    MISSING_KEY = "KA203"
    WRONG_TYPE = "KA204"
    BAD_MONEY = "KA205"
    BAD_INTEGER = "KA206"
    BAD_BOOLEAN = "KA207"
    BAD_DATE = "KA208"
    BAD_CHOICE = "KA209"
    BAD_ID = "KA210"
    BAD_ORG_NUMBER = "KA211"
    BAD_NUMBER = "KA212"
    UNSUPPORTED_VERSION = "KA213"
    EMPTY_FILE = "KA214"
    TEXT_LOOKS_BOOLEAN = "KA215"
    # KA3xx: references between entries
    DUPLICATE_ID = "KA301"
    UNKNOWN_REFERENCE = "KA302"
    NO_POOL = "KA303"
    DUPLICATE_ROOT_POOL = "KA304"
    POOL_CYCLE = "KA305"
    AMBIGUOUS_SUBPOOL = "KA306"
    SUBPOOL_WITHOUT_FILTER = "KA307"
    SUBPOOL_MISMATCH = "KA308"
    ROOT_POOL_INCOMPLETE = "KA309"
    ROOT_ONLY_KEY = "KA310"
    TIED_APPLICATIONS = "KA311"
    BAD_APPORTIONMENT = "KA312"
    EARMARK_NEEDS_PRIORITY = "KA313"
    NO_SCHEMES_LOADED = "KA314"
    # KA4xx: money that cannot add up
    COMMITTED_OVER_CAP = "KA401"
    SUBPOOL_CAPS_OVER_PARENT = "KA402"
    SUBPOOL_CAP_OVER_PARENT = "KA403"
    MIN_OVER_MAX = "KA404"
    MIN_GRANT_OVER_REQUEST = "KA405"
    MIN_GRANT_WITHOUT_PARTIAL = "KA406"
    ZERO_REQUEST = "KA407"
    REQUEST_OVER_MAX_GRANT = "KA408"
    REQUEST_BELOW_MIN_GRANT = "KA409"
    REQUEST_OVER_RATE = "KA410"
    FIXED_GRANT_OVER_REQUEST = "KA411"
    FIXED_GRANTS_OVER_CAP = "KA412"
    ZERO_UNIT = "KA413"
    COMMITTED_OVER_ANCESTOR = "KA414"
    APPORTION_FLOOR_OVER_CAP = "KA415"
    APPORTION_FLOORS_OVER_POT = "KA416"
    APPORTION_CAPS_BELOW_POT = "KA417"
    APPORTION_WITHOUT_WEIGHT = "KA418"
    FIXED_GRANTS_IN_EXCLUSIVE_GROUP = "KA419"
    EARMARKS_OVER_POOL = "KA420"
    # KA5xx: scheme rules an application breaks (it will be rejected)
    INELIGIBLE_INSTITUTION = "KA501"
    LATE_SUBMISSION = "KA502"
    MISSING_PARTNER = "KA503"
    CLUSTER_NOT_ELIGIBLE = "KA504"
    INSTITUTION_TYPE_NOT_IN_POOL = "KA505"
    MISSING_QUANTITY = "KA506"
    MISSING_SCORE = "KA507"
    BELOW_MIN_SCORE = "KA508"
    MISSING_BUDGET = "KA509"
    # KA6xx: spreadsheet import
    EXPORT_UNREADABLE = "KA601"
    EXPORT_ENCODING = "KA602"
    MISSING_COLUMN = "KA603"
    AMBIGUOUS_COLUMN = "KA604"
    EMPTY_CELL = "KA605"
    UNMAPPED_VALUE = "KA606"
    BAD_CELL_DATE = "KA607"
    ROW_TOO_WIDE = "KA608"
    NO_ROWS = "KA609"
    FORMULA_WITHOUT_VALUE = "KA610"
    # KA7xx: scenarios
    SCENARIO_UNKNOWN_ID = "KA701"
    SCENARIO_ID_EXISTS = "KA702"
    SCENARIO_EXPECTATION_FAILED = "KA703"
    SCENARIO_BAD_CHANGE = "KA704"
    SCENARIO_OVERRIDE = "KA705"
    SCENARIO_SAME_VALUE = "KA706"
    # KA8xx: earlier grants and rounds (the ledger)
    DECISIONS_UNREADABLE = "KA801"
    DECISIONS_DIGEST = "KA802"
    GRANT_NO_POOL = "KA803"
    RETURN_UNKNOWN_GRANT = "KA804"
    GRANTS_OVER_ROOM = "KA805"
    REPAID_OVER_GRANT = "KA806"
    RETURN_STATUS = "KA807"
    LEDGER_DATE_ORDER = "KA808"
    LEDGER_AFTER_AS_OF = "KA809"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in the input, located as exactly as the input allows."""

    code: Code
    severity: Severity
    message: str
    span: Span
    path: str = ""
    """Where the value sits inside the data, e.g. ``pools.industrifagskolen-2021.cap``."""
    hint: str | None = None
    """How to fix it, where the fix is clear."""

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, position, then code."""
        return (*self.span.sort_key(), self.code.value)


def error(
    code: Code, message: str, span: Span, path: str = "", hint: str | None = None
) -> Diagnostic:
    """Build an error diagnostic."""
    return Diagnostic(code, Severity.ERROR, message, span, path, hint)


def warning(
    code: Code, message: str, span: Span, path: str = "", hint: str | None = None
) -> Diagnostic:
    """Build a warning diagnostic."""
    return Diagnostic(code, Severity.WARNING, message, span, path, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelt id or key, or None when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
