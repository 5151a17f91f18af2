"""The data as it stood on a date: applications submitted after it are left out, and so are
earlier grants decided after it and returns made after it.

kompalloc never reads the clock; a date that matters is always given (``--as-of``) and
recorded in the reproducibility stamp.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kompalloc.model import Bundle, EarlierRound, LedgerGrant


def received_by(bundle: Bundle, day: date) -> tuple[Bundle, list[str]]:
    """The bundle with only the applications submitted on or before ``day``, and the ids left out."""
    kept = {k: a for k, a in bundle.applications.items() if a.submitted <= day}
    left_out = sorted(k for k in bundle.applications if k not in kept)
    return replace(bundle, applications=kept), left_out


def ledger_by(bundle: Bundle, day: date) -> Bundle:
    """The bundle's earlier grants as they stood on ``day``: grants and rounds decided after it
    are left out, and a withdrawal or repayment made after it has not happened yet."""
    if not bundle.grants and not bundle.earlier_rounds:
        return bundle
    grants: dict[str, LedgerGrant] = {}
    for key, grant in bundle.grants.items():
        if grant.decided > day:
            continue
        if grant.returned_on is not None and grant.returned_on > day:
            grant = replace(grant, status="granted", returned=None, returned_on=None)
        grants[key] = grant
    rounds: dict[str, EarlierRound] = {}
    for key, earlier in bundle.earlier_rounds.items():
        if earlier.decided > day:
            continue
        returns = {app: r for app, r in earlier.returns.items() if r.returned_on <= day}
        rounds[key] = replace(earlier, returns=returns) if returns != earlier.returns else earlier
    return replace(bundle, grants=grants, earlier_rounds=rounds)
