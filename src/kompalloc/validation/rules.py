"""The validation rules: duplicate ids, references, the pool tree, money that cannot add up, scheme rules.

Each rule is a plain function ``(bundle, tree) -> iterable of diagnostics``; ``ALL`` lists them
in the order they run, and every one of them always runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from kompalloc.diagnostics import Code, Diagnostic, did_you_mean, error, warning
from kompalloc.eligibility import breaches, rate_cap
from kompalloc.model import (
    INSTITUTION_TYPES,
    Application,
    Bundle,
    Entry,
    Method,
    Pool,
    Section,
    TiePolicy,
)
from kompalloc.money import format_kr
from kompalloc.pooltree import PoolTree

Rule = Callable[[Bundle, PoolTree], Iterable[Diagnostic]]


def duplicate_ids(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """An id defined twice in one section (across files) is an error pointing at both."""
    for section, kept, later in bundle.duplicates:
        yield error(
            Code.DUPLICATE_ID,
            f"{section.value[:-1]} '{later.id}' is already defined at {kept.span}",
            later.span,
            f"{section.value}.{later.id}",
            hint="ids must be unique across all files loaded together; rename or remove one",
        )


def _reference(
    bundle: Bundle,
    entry: Entry,
    section: Section,
    key: str,
    target: Section,
    value: str | None,
    index: int | None = None,
) -> Iterator[Diagnostic]:
    if not value:
        return  # not written, or unreadable (already reported)
    known: Mapping[str, Entry] = getattr(bundle, target.value)
    if value in known or value in bundle.broken.get(target, frozenset()):
        return
    singular = target.value[:-1]
    hint = did_you_mean(value, known) or (
        f"no {singular} with that id is loaded; add the file that defines it"
    )
    span = entry.at(key)
    where = f"{section.value}.{entry.id}.{key}" + (f"[{index}]" if index is not None else "")
    yield error(Code.UNKNOWN_REFERENCE, f"unknown {singular} '{value}'", span, where, hint)


def references(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Every id an entry names must be defined (in any file), in whole entries and broken ones.

    With no scheme loaded at all, the scheme files were left out (they also hold the clusters,
    institutions and root pools): one diagnostic says so instead of one per reference.
    """
    found = _references(bundle)
    if bundle.schemes or bundle.broken.get(Section.SCHEMES):
        yield from found
        return
    unknown = sorted(found, key=Diagnostic.sort_key)
    if not unknown:
        return
    kinds = sorted({d.message.split(" ", 2)[1] for d in unknown})
    shown = ", ".join(f"{k}s" for k in kinds[:-1]) + (" and " if len(kinds) > 1 else "") + f"{kinds[-1]}s"
    yield error(
        Code.NO_SCHEMES_LOADED,
        f"no schemes loaded: {len(unknown)} reference{'s' * (len(unknown) != 1)} to {shown} "
        "cannot be checked",
        unknown[0].span,
        unknown[0].path,
        hint="add the files that define the schemes, e.g. the bundled schemes/ folder: "
        "kompalloc validate schemes FOLDER",
    )


def _references(bundle: Bundle) -> Iterator[Diagnostic]:
    pools = [*bundle.pools.values(), *(e for _, e in bundle.partial if isinstance(e, Pool))]
    apps = [
        *bundle.applications.values(),
        *(e for _, e in bundle.partial if isinstance(e, Application)),
    ]
    for pool in pools:
        yield from _reference(bundle, pool, Section.POOLS, "scheme", Section.SCHEMES, pool.scheme)
        yield from _reference(bundle, pool, Section.POOLS, "parent", Section.POOLS, pool.parent)
        named: set[str] = set()
        for i, cluster in enumerate(pool.clusters or ()):
            if cluster in named:
                continue  # one diagnostic per unknown id, however often the list names it
            named.add(cluster)
            yield from _reference(
                bundle, pool, Section.POOLS, "clusters", Section.CLUSTERS, cluster, i
            )
    for app in apps:
        for key, target in (
            ("scheme", Section.SCHEMES),
            ("institution", Section.INSTITUTIONS),
            ("cluster", Section.CLUSTERS),
        ):
            value = getattr(app, key)
            yield from _reference(bundle, app, Section.APPLICATIONS, key, target, value)


def pool_tree(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Root pools are complete and unique per scheme and year; sub-pools narrow a reachable parent."""
    for pool in sorted(bundle.pools.values(), key=lambda p: p.id):
        where = f"pools.{pool.id}"
        if pool.parent is None:
            if pool.scheme is None or pool.year is None:
                missing = " and ".join(k for k in ("scheme", "year") if getattr(pool, k) is None)
                yield error(
                    Code.ROOT_POOL_INCOMPLETE,
                    f"pool '{pool.id}' has no parent, so it needs {missing}",
                    pool.span,
                    where,
                    hint="give a root pool its scheme and year, or a sub-pool its parent",
                )
                continue
            root = tree.roots[(pool.scheme, pool.year)]
            if root.id != pool.id:
                yield error(
                    Code.DUPLICATE_ROOT_POOL,
                    f"scheme '{pool.scheme}' already has a pool for {pool.year}: '{root.id}' at {root.span}",
                    pool.span,
                    where,
                    hint="one root pool per scheme and year; make this one a sub-pool with 'parent:'",
                )
            continue
        if pool.parent in bundle.pools and pool.id not in tree.root_of:
            yield error(
                Code.POOL_CYCLE,
                f"pool '{pool.id}' is its own ancestor through 'parent'",
                pool.at("parent"),
                f"{where}.parent",
            )
            continue
        if pool.parent not in bundle.pools:
            continue
        top = bundle.pools[tree.root_of[pool.id]] if pool.id in tree.root_of else None
        for key in ("scheme", "year"):
            value = getattr(pool, key)
            if value is not None and top is not None and value != getattr(top, key):
                yield error(
                    Code.SUBPOOL_MISMATCH,
                    f"sub-pool '{pool.id}' says {key} {value}, but its root pool '{top.id}' "
                    f"has {getattr(top, key)}",
                    pool.at(key),
                    f"{where}.{key}",
                    hint=f"leave '{key}' out of sub-pools: they inherit it",
                )
        if pool.clusters is None and pool.institution_types is None:
            yield error(
                Code.SUBPOOL_WITHOUT_FILTER,
                f"sub-pool '{pool.id}' does not say which applications draw on it",
                pool.span,
                where,
                hint="add 'clusters:' or 'institution_types:'",
            )


def pool_money(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Committed money within caps; sub-pool caps against the parent; grant limits in order."""
    for pool in bundle.pools.values():
        where = f"pools.{pool.id}"
        if pool.committed > pool.cap:
            yield error(
                Code.COMMITTED_OVER_CAP,
                f"committed {format_kr(pool.committed)} is more than the cap {format_kr(pool.cap)}",
                pool.at("committed"),
                f"{where}.committed",
            )
        if (
            pool.min_grant is not None
            and pool.max_grant is not None
            and pool.min_grant > pool.max_grant
        ):
            yield error(
                Code.MIN_OVER_MAX,
                f"min_grant {format_kr(pool.min_grant)} is more than max_grant {format_kr(pool.max_grant)}",
                pool.at("min_grant"),
                f"{where}.min_grant",
            )
        parent = bundle.pools.get(pool.parent) if pool.parent else None
        if parent is not None and pool.cap > parent.cap:
            yield warning(
                Code.SUBPOOL_CAP_OVER_PARENT,
                f"sub-pool cap {format_kr(pool.cap)} is more than its parent's cap "
                f"{format_kr(parent.cap)}, so it can never be used in full",
                pool.at("cap"),
                f"{where}.cap",
            )
        children = tree.children.get(pool.id, [])
        total = sum(child.cap for child in children)
        if children and total > pool.cap:
            yield warning(
                Code.SUBPOOL_CAPS_OVER_PARENT,
                f"the caps of the {len(children)} sub-pools of '{pool.id}' add up to "
                f"{format_kr(total)}, more than its cap {format_kr(pool.cap)}",
                pool.at("cap"),
                f"{where}.cap",
                hint="allowed (sub-pool caps are ceilings, not reservations; the parent's cap "
                "still holds), but check that this is intended",
            )


def applications(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Each application has a pool, a single sub-pool chain, sensible limits, and meets its scheme's rules."""
    for app in bundle.applications.values():
        where = f"applications.{app.id}"
        if app.scheme in bundle.schemes and (app.scheme, app.year) not in tree.roots:
            years = sorted(y for s, y in tree.roots if s == app.scheme)
            hint = (
                f"pools of '{app.scheme}' exist for {', '.join(map(str, years))}"
                if years
                else f"add a pool with 'scheme: {app.scheme}' and 'year: {app.year}'"
            )
            yield error(
                Code.NO_POOL,
                f"no pool for scheme '{app.scheme}' in {app.year}",
                app.at("year"),
                f"{where}.year",
                hint,
            )
        chain, ambiguous = tree.chain(bundle, app)
        if ambiguous:
            names = ", ".join(f"'{p.id}'" for p in ambiguous)
            yield error(
                Code.AMBIGUOUS_SUBPOOL,
                f"application '{app.id}' matches several sibling sub-pools: {names}",
                app.span,
                where,
                hint="narrow the sub-pools' clusters or institution_types so at most one matches",
            )
        if app.requested == 0:
            yield warning(
                Code.ZERO_REQUEST,
                "requested amount is 0",
                app.at("requested"),
                f"{where}.requested",
            )
        if app.min_grant is not None:
            if app.min_grant > app.requested:
                yield error(
                    Code.MIN_GRANT_OVER_REQUEST,
                    f"min_grant {format_kr(app.min_grant)} is more than the requested "
                    f"{format_kr(app.requested)}",
                    app.at("min_grant"),
                    f"{where}.min_grant",
                )
            if not app.partial:
                yield warning(
                    Code.MIN_GRANT_WITHOUT_PARTIAL,
                    "min_grant has no effect without 'partial: true'",
                    app.at("min_grant"),
                    f"{where}.min_grant",
                    hint="add 'partial: true' if a smaller grant is acceptable, or remove min_grant",
                )
        yield from _request_limits(bundle, app, chain, where)
        for breach in breaches(bundle, app, chain):
            yield warning(
                breach.code,
                f"application '{app.id}' will be rejected: {breach.message}",
                app.at(breach.key),
                f"{where}.{breach.key}",
            )


def _request_limits(
    bundle: Bundle, app: Application, chain: list[Pool], where: str
) -> Iterator[Diagnostic]:
    """Warn when the request is outside the grant limits it will meet."""
    for pool in chain:
        if pool.max_grant is not None and app.requested > pool.max_grant:
            yield warning(
                Code.REQUEST_OVER_MAX_GRANT,
                f"requests {format_kr(app.requested)}, but pool {pool.label} grants at most "
                f"{format_kr(pool.max_grant)}",
                app.at("requested"),
                f"{where}.requested",
                hint=None if app.partial else "without 'partial: true' it will not be funded",
            )
        if pool.min_grant is not None and 0 < app.requested < pool.min_grant:
            yield warning(
                Code.REQUEST_BELOW_MIN_GRANT,
                f"requests {format_kr(app.requested)}, below the minimum grant "
                f"{format_kr(pool.min_grant)} of pool {pool.label}: it will not be funded",
                app.at("requested"),
                f"{where}.requested",
            )
    rate = rate_cap(bundle, app)
    if rate is not None and app.requested > rate[0]:
        yield warning(
            Code.REQUEST_OVER_RATE,
            f"requests {format_kr(app.requested)}, above what the scheme's rate allows: "
            f"{format_kr(rate[0])} ({rate[1]})",
            app.at("requested"),
            f"{where}.requested",
            hint=None if app.partial else "without 'partial: true' it will not be funded",
        )


ROOT_ONLY = (
    "method",
    "shortfall",
    "order",
    "min_score",
    "ties",
    "seed",
    "unit",
    "apportion",
    "earmarks",
)


def allocation_settings(bundle: Bundle, tree: PoolTree) -> Iterator[Diagnostic]:
    """Methods, ties, apportionments, earmarks, units and limits make sense together."""
    # The allocation engine is imported only when a pool or an application needs it.
    by_root = _applications_by_root(bundle, tree)
    for pool in sorted(bundle.pools.values(), key=lambda p: p.id):
        if pool.parent is not None:
            yield from _root_only_keys(pool, tree)
        else:
            yield from _root_settings(bundle, pool, by_root.get(pool.id, []))
    yield from _fixed_grants(bundle)
    yield from _limit_references(bundle)


def _applications_by_root(bundle: Bundle, tree: PoolTree) -> dict[str, list[Application]]:
    """The applications each root pool allocates, by the root's id, in input order."""
    by_root: dict[str, list[Application]] = {}
    for app in bundle.applications.values():
        root = tree.roots.get((app.scheme, app.year))
        if root is not None:
            by_root.setdefault(root.id, []).append(app)
    return by_root


def _root_only_keys(pool: Pool, tree: PoolTree) -> Iterator[Diagnostic]:
    """A sub-pool sets none of the keys only a root pool can set."""
    where = f"pools.{pool.id}"
    for key in ROOT_ONLY:
        if getattr(pool, key) is not None:
            yield error(
                Code.ROOT_ONLY_KEY,
                f"only a root pool can set '{key}'; '{pool.id}' is a sub-pool",
                pool.at(key),
                f"{where}.{key}",
                hint=f"set it on the root pool '{tree.root_of.get(pool.id, pool.parent)}'",
            )


def _root_settings(bundle: Bundle, pool: Pool, apps: list[Application]) -> Iterator[Diagnostic]:
    """A root pool's unit, tie policy, apportionment and earmarks work with its method."""
    where = f"pools.{pool.id}"
    if pool.unit == 0:
        yield error(Code.ZERO_UNIT, "the rounding unit is 0", pool.at("unit"), f"{where}.unit")
    if pool.tie_policy is TiePolicy.REFUSE:
        yield from _refused_ties(pool, apps, where)
    method = pool.allocation_method
    yield from _apportionment(bundle, pool, method, where)
    inner = pool.apportion.inner_method if method is Method.APPORTION and pool.apportion else method
    if pool.earmarks and inner is not Method.PRIORITY:
        yield error(
            Code.EARMARK_NEEDS_PRIORITY,
            f"earmarks work with the priority method, and '{pool.id}' uses {inner}",
            pool.at("earmarks"),
            f"{where}.earmarks",
        )


def _refused_ties(pool: Pool, apps: list[Application], where: str) -> Iterator[Diagnostic]:
    """Each set of applications tied in a pool that refuses ties."""
    from kompalloc.allocation.ordering import order

    for tied in order(apps, pool).ties:
        yield error(
            Code.TIED_APPLICATIONS,
            f"pool '{pool.id}' refuses ties, and {', '.join(tied)} are tied",
            pool.at("ties"),
            f"{where}.ties",
            hint="give them different ranks or a tie_break, or choose another tie policy",
        )


def _fixed_grants(bundle: Bundle) -> Iterator[Diagnostic]:
    """Fixed grants are within their requests and together overdraw no cap."""
    for app in bundle.applications.values():
        if app.fixed_grant is not None and app.fixed_grant > app.requested:
            yield error(
                Code.FIXED_GRANT_OVER_REQUEST,
                f"the fixed grant {format_kr(app.fixed_grant)} is more than the request "
                f"{format_kr(app.requested)}",
                app.at("fixed_grant"),
                f"applications.{app.id}.fixed_grant",
            )
    if not any(app.fixed_grant is not None for app in bundle.applications.values()):
        return  # without fixed grants nothing can overdraw a cap
    from kompalloc.allocation.engine import fixed_grant_overdrafts

    for cap, ids in fixed_grant_overdrafts(bundle):
        first = bundle.applications[ids[0]]
        yield error(
            Code.FIXED_GRANTS_OVER_CAP,
            f"the fixed grants of {', '.join(ids)} overdraw {cap.label} by {format_kr(-cap.room)}",
            first.at("fixed_grant"),
            f"applications.{first.id}.fixed_grant",
        )


def _limit_references(bundle: Bundle) -> Iterator[Diagnostic]:
    """Each limit's schemes, pools, clusters and institutions are loaded."""
    for limit in bundle.limits.values():
        for key, target in (
            ("schemes", Section.SCHEMES),
            ("pools", Section.POOLS),
            ("clusters", Section.CLUSTERS),
            ("institutions", Section.INSTITUTIONS),
        ):
            for i, value in enumerate(getattr(limit, key) or ()):
                yield from _reference(bundle, limit, Section.LIMITS, key, target, value, i)


def _apportionment(
    bundle: Bundle, pool: Pool, method: Method, where: str
) -> Iterator[Diagnostic]:
    """An apportioning pool has apportion settings that name known groups; others have none."""
    spec = pool.apportion
    if method is Method.APPORTION and spec is None:
        yield error(
            Code.BAD_APPORTIONMENT,
            f"pool '{pool.id}' has method apportion but no 'apportion:' settings",
            pool.at("method"),
            f"{where}.method",
            hint="add apportion: {by: cluster, weights: {...}}",
        )
        return
    if spec is None:
        return
    if method is not Method.APPORTION:
        yield warning(
            Code.BAD_APPORTIONMENT,
            f"'apportion:' has no effect: pool '{pool.id}' uses method {method}",
            pool.at("apportion"),
            f"{where}.apportion",
            hint="add 'method: apportion', or remove the apportion settings",
        )
    known: Iterable[str] = {
        "cluster": bundle.clusters,
        "institution": bundle.institutions,
        "institution_type": INSTITUTION_TYPES,
    }[spec.by]
    for group in spec.weights:
        if group not in known:
            yield error(
                Code.BAD_APPORTIONMENT,
                f"weight for unknown {spec.by.replace('_', ' ')} '{group}'",
                pool.at("apportion"),
                f"{where}.apportion.weights.{group}",
                hint=did_you_mean(group, known),
            )
    for key in ("floors", "caps"):
        for group in getattr(spec, key):
            if group not in spec.weights:
                yield error(
                    Code.BAD_APPORTIONMENT,
                    f"{key[:-1]} for '{group}', which has no weight",
                    pool.at("apportion"),
                    f"{where}.apportion.{key}.{group}",
                )


ALL: tuple[Rule, ...] = (
    duplicate_ids,
    references,
    pool_tree,
    pool_money,
    applications,
    allocation_settings,
)
"""Every rule, in the order they run."""
