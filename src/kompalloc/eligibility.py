"""Scheme and pool rules an application must meet to be considered at all, and the scheme's rates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kompalloc.diagnostics import Code
from kompalloc.model import Application, Bundle, Institution, OrderBy, Pool, Scheme
from kompalloc.money import format_kr, format_share


@dataclass(frozen=True, slots=True)
class Breach:
    """One rule an application breaks, and the key of the application it concerns."""

    code: Code
    message: str
    key: str
    short: str
    """A few words for a table cell."""


def breaches(bundle: Bundle, app: Application, chain: Sequence[Pool] = ()) -> list[Breach]:
    """Every rule the application breaks (empty when it is eligible).

    ``chain`` is the pools the application draws on, root first: the root's ``clusters`` and
    ``institution_types`` (when given) say who is eligible, its ``order`` and ``min_score`` may
    require a score, and any pool's ``aid_intensity`` requires a budget.
    """
    scheme = bundle.schemes.get(app.scheme)
    institution = bundle.institutions.get(app.institution)
    if scheme is None or institution is None:
        return []
    root = chain[0] if chain else None
    found = (
        _institution_breach(scheme, institution),
        _late_breach(scheme, root, app),
        _partner_breach(scheme, app),
        _cluster_breach(root, app),
        _pool_institution_breach(root, institution),
        _quantity_breach(scheme, app),
        _score_breach(root, app),
        _budget_breach(chain, app),
    )
    return [breach for breach in found if breach is not None]


def _institution_breach(scheme: Scheme, institution: Institution) -> Breach | None:
    """The breach when the institution's type may not apply to the scheme at all."""
    if institution.type in scheme.institution_types:
        return None
    return Breach(
        Code.INELIGIBLE_INSTITUTION,
        f"{institution.name} is a {institution.type}, which may not apply to "
        f"{scheme.name} (allowed: {', '.join(scheme.institution_types)})",
        "institution",
        f"{institution.type} not eligible",
    )


def _late_breach(scheme: Scheme, root: Pool | None, app: Application) -> Breach | None:
    """The breach when the application came after the root pool's (or else the scheme's) deadline."""
    deadline = root.deadline if root is not None and root.deadline is not None else scheme.deadline
    if deadline is None or app.submitted <= deadline:
        return None
    whose = root.label if root is not None and root.deadline is not None else scheme.name
    return Breach(
        Code.LATE_SUBMISSION,
        f"submitted {app.submitted.isoformat()}, after the deadline "
        f"{deadline.isoformat()} of {whose}",
        "submitted",
        f"late ({app.submitted.isoformat()})",
    )


def _partner_breach(scheme: Scheme, app: Application) -> Breach | None:
    """The breach when a partner role the scheme requires is missing (a company counts as one)."""
    if not scheme.required_partners:
        return None
    roles = {p.role for p in app.partners}
    if app.companies:
        roles.add("company")
    missing = [role for role in scheme.required_partners if role not in roles]
    if not missing:
        return None
    return Breach(
        Code.MISSING_PARTNER,
        f"{scheme.name} requires a partner in the role {' and '.join(missing)}",
        "partners",
        f"missing partner: {', '.join(missing)}",
    )


def _cluster_breach(root: Pool | None, app: Application) -> Breach | None:
    """The breach when the root pool names its clusters and the application's is not one."""
    if root is None or root.clusters is None or app.cluster in root.clusters:
        return None
    cluster = f"cluster '{app.cluster}'" if app.cluster else "an application without a cluster"
    return Breach(
        Code.CLUSTER_NOT_ELIGIBLE,
        f"{cluster} is not eligible for pool {root.label} "
        f"(eligible: {', '.join(root.clusters)})",
        "cluster",
        "cluster not eligible",
    )


def _pool_institution_breach(root: Pool | None, institution: Institution) -> Breach | None:
    """The breach when the root pool names institution types and the institution's is not one."""
    eligible_types = root.institution_types if root is not None else None
    if root is None or eligible_types is None or institution.type in eligible_types:
        return None
    return Breach(
        Code.INSTITUTION_TYPE_NOT_IN_POOL,
        f"{institution.type} is not eligible for pool {root.label} "
        f"(eligible: {', '.join(eligible_types)})",
        "institution",
        f"{institution.type} not eligible for pool",
    )


def _quantity_breach(scheme: Scheme, app: Application) -> Breach | None:
    """The breach when the scheme sets a rate and the application lacks the quantity it needs."""
    needs = []
    has_rate = scheme.max_per_participant is not None or scheme.max_per_study_point is not None
    if has_rate and app.participants is None:
        needs.append("participants")
    if scheme.max_per_study_point is not None and app.study_points is None:
        needs.append("study_points")
    if not needs:
        return None
    return Breach(
        Code.MISSING_QUANTITY,
        f"{scheme.name} sets a rate, so the application needs {' and '.join(needs)}",
        "participants" if "participants" in needs else "study_points",
        f"no {' or '.join(needs)} for the rate",
    )


def _score_breach(root: Pool | None, app: Application) -> Breach | None:
    """The breach when the root pool orders by score and the score is missing or too low."""
    if root is None or root.order_by is not OrderBy.SCORE:
        return None
    if app.score is None:
        return Breach(
            Code.MISSING_SCORE,
            f"pool {root.label} orders by score, and the application has none",
            "score",
            "no score",
        )
    if root.min_score is not None and app.score < root.min_score:
        return Breach(
            Code.BELOW_MIN_SCORE,
            f"score {app.score} is below the minimum {root.min_score} of pool {root.label}",
            "score",
            f"score below {root.min_score}",
        )
    return None


def _budget_breach(chain: Sequence[Pool], app: Application) -> Breach | None:
    """The breach when a pool limits grants to a share of the budget and there is no budget."""
    if app.budget is not None or not any(p.aid_intensity is not None for p in chain):
        return None
    return Breach(
        Code.MISSING_BUDGET,
        "a pool it draws on limits grants to a share of the budget, and it gives no budget",
        "budget",
        "no budget for the aid intensity",
    )


def breaches_vary(bundle: Bundle, app: Application, chain: Sequence[Pool]) -> bool:
    """Whether :func:`breaches` can differ between applications of the same scheme, institution,
    cluster and pools: it can when a deadline, a required partner, a rate, an order by score
    or an aid intensity asks something of the application itself."""
    scheme = bundle.schemes.get(app.scheme)
    if scheme is None:
        return False
    root = chain[0] if chain else None
    return bool(
        (root is not None and root.deadline is not None)
        or scheme.deadline is not None
        or scheme.required_partners
        or scheme.max_per_participant is not None
        or scheme.max_per_study_point is not None
        or (root is not None and root.order_by is OrderBy.SCORE)
        or any(p.aid_intensity is not None for p in chain)
    )


def limits_vary(bundle: Bundle, app: Application, chain: Sequence[Pool]) -> bool:
    """Whether :func:`own_limit` can depend on more than the request and the pools' max grants:
    it can when a pool has an aid intensity or the scheme a rate."""
    scheme = bundle.schemes.get(app.scheme)
    return any(p.aid_intensity is not None for p in chain) or (
        scheme is not None
        and (scheme.max_per_participant is not None or scheme.max_per_study_point is not None)
    )


def own_limit(
    bundle: Bundle,
    app: Application,
    chain: Sequence[Pool],
    sentences: dict[tuple[str, int], str] | None = None,
) -> tuple[int, str, str, str]:
    """The tightest of the limits that concern this application alone (the first of the
    tightest): the request, each pool's max grant and aid intensity, and the scheme's rates, as
    (amount, kind, a few words, a sentence).

    Only the sentence of the limit that binds is written; ``sentences`` keeps each pool's
    max-grant sentence (by pool id and depth) for the next application that draws on it.
    """
    best = app.requested
    best_depth = -1  # -1: the request; otherwise the pool's depth in the chain
    best_kind = "request"
    for depth, pool in enumerate(chain):
        if pool.max_grant is not None and pool.max_grant < best:
            best, best_depth, best_kind = pool.max_grant, depth, "max_grant"
        if pool.aid_intensity is not None and app.budget is not None:
            amount = int(app.budget * pool.aid_intensity)  # rounded down to whole øre
            if amount < best:
                best, best_depth, best_kind = amount, depth, "aid_intensity"
    scheme = bundle.schemes.get(app.scheme)
    if (
        scheme is not None
        and app.participants is not None
        and (scheme.max_per_participant is not None or scheme.max_per_study_point is not None)
    ):
        rate = rate_cap(bundle, app)
        if rate is not None and rate[0] < best:
            return (rate[0], "rate", "scheme rate", f"the scheme's rate allows {rate[1]}")
    if best_kind == "request":
        return (best, "request", "full request", "the full request fits")
    pool = chain[best_depth]
    where = "pool" if best_depth == 0 else "sub-pool"
    if best_kind == "max_grant":
        key = (pool.id, best_depth)
        sentence = sentences.get(key) if sentences is not None else None
        if sentence is None:
            sentence = f"{where} {pool.label} grants at most {format_kr(best)}"
            if sentences is not None:
                sentences[key] = sentence
        return (best, "max_grant", "max grant", sentence)
    assert pool.aid_intensity is not None and app.budget is not None
    return (
        best,
        "aid_intensity",
        "aid intensity",
        f"{where} {pool.label} funds at most {format_share(pool.aid_intensity)} of the budget "
        f"{format_kr(app.budget)}",
    )


def rate_cap(bundle: Bundle, app: Application) -> tuple[int, str] | None:
    """The most the scheme's rates allow for this application, and how that was computed.

    The rate per study point counts per participant: rate x participants x study points.
    Amounts are rounded down to whole øre, so a rate never allows more than it says.
    """
    scheme = bundle.schemes.get(app.scheme)
    if scheme is None or app.participants is None:
        return None
    caps: list[tuple[int, str]] = []
    if scheme.max_per_participant is not None:
        caps.append(
            (
                scheme.max_per_participant * app.participants,
                f"{format_kr(scheme.max_per_participant)} per participant x {app.participants}",
            )
        )
    if scheme.max_per_study_point is not None and app.study_points is not None:
        product = scheme.max_per_study_point * app.participants * app.study_points
        caps.append(
            (
                int(product),  # Decimal to int truncates toward zero: whole øre, rounded down
                f"{format_kr(scheme.max_per_study_point)} per study point x {app.participants} "
                f"participants x {app.study_points} stp",
            )
        )
    return min(caps) if caps else None
