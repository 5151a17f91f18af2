"""Scheme rules an application must meet to be considered at all (who may apply, deadline, partners)."""

from __future__ import annotations

from dataclasses import dataclass

from kompalloc.diagnostics import Code
from kompalloc.model import Application, Bundle


@dataclass(frozen=True, slots=True)
class Breach:
    """One scheme rule an application breaks, and the key of the application it concerns."""

    code: Code
    message: str
    key: str
    short: str
    """A few words for a table cell."""


def breaches(bundle: Bundle, app: Application) -> list[Breach]:
    """Every scheme rule the application breaks (empty when it is eligible)."""
    scheme = bundle.schemes.get(app.scheme)
    institution = bundle.institutions.get(app.institution)
    if scheme is None or institution is None:
        return []
    out: list[Breach] = []
    if institution.type not in scheme.institution_types:
        out.append(
            Breach(
                Code.INELIGIBLE_INSTITUTION,
                f"{institution.name} is a {institution.type}, which may not apply to "
                f"{scheme.name} (allowed: {', '.join(scheme.institution_types)})",
                "institution",
                f"{institution.type} not eligible",
            )
        )
    if scheme.deadline is not None and app.submitted > scheme.deadline:
        out.append(
            Breach(
                Code.LATE_SUBMISSION,
                f"submitted {app.submitted.isoformat()}, after the deadline "
                f"{scheme.deadline.isoformat()} of {scheme.name}",
                "submitted",
                f"late ({app.submitted.isoformat()})",
            )
        )
    roles = {p.role for p in app.partners}
    if app.companies:
        roles.add("company")
    missing = [role for role in scheme.required_partners if role not in roles]
    if missing:
        out.append(
            Breach(
                Code.MISSING_PARTNER,
                f"{scheme.name} requires a partner in the role {' and '.join(missing)}",
                "partners",
                f"missing partner: {', '.join(missing)}",
            )
        )
    return out
