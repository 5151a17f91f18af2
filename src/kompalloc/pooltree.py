"""The pool tree: each (scheme, year) root pool, its sub-pools, and which chain an application draws on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kompalloc.model import Application, Bundle, Pool


@dataclass(frozen=True, slots=True)
class PoolTree:
    """Parent and child links of all pools, with each pool's effective scheme and year."""

    roots: dict[tuple[str, int], Pool]
    """The root pool of each (scheme, year); the first one defined when there are several."""
    children: dict[str, list[Pool]]
    """The sub-pools of each pool, in id order."""
    root_of: dict[str, str]
    """The root pool id of every pool that reaches a root without a cycle."""

    def chain(self, bundle: Bundle, app: Application) -> tuple[list[Pool], list[Pool]]:
        """The pools an application draws on, root first, and any ambiguous siblings at the end.

        Returns (chain, ambiguous): ``ambiguous`` lists two or more sibling sub-pools that all
        match, in which case the chain stops above them.
        """
        root = self.roots.get((app.scheme, app.year))
        if root is None:
            return [], []
        chain = [root]
        institution = bundle.institutions.get(app.institution)
        kind = institution.type if institution else None
        while True:
            matches = [p for p in self.children.get(chain[-1].id, ()) if matches_pool(p, app, kind)]
            if len(matches) > 1:
                return chain, matches
            if not matches:
                return chain, []
            chain.append(matches[0])


def matches_pool(pool: Pool, app: Application, institution_type: str | None) -> bool:
    """Whether an application falls inside a sub-pool's filters."""
    if pool.clusters is not None and app.cluster not in pool.clusters:
        return False
    return pool.institution_types is None or institution_type in pool.institution_types


def build(bundle: Bundle) -> PoolTree:
    """Link the bundle's pools into a tree (cycles and dangling parents are left out)."""
    roots: dict[tuple[str, int], Pool] = {}
    children: dict[str, list[Pool]] = defaultdict(list)
    for pool in sorted(bundle.pools.values(), key=lambda p: p.id):
        if pool.parent is None:
            if pool.scheme is not None and pool.year is not None:
                roots.setdefault((pool.scheme, pool.year), pool)
        elif pool.parent in bundle.pools:
            children[pool.parent].append(pool)
    root_of: dict[str, str] = {}
    for pool in bundle.pools.values():
        seen: list[str] = []
        current: Pool | None = pool
        while current is not None and current.parent is not None and current.id not in seen:
            seen.append(current.id)
            current = bundle.pools.get(current.parent)
        if current is not None and current.parent is None:
            root_of[pool.id] = current.id
    return PoolTree(roots, dict(children), root_of)


def descendants(tree: PoolTree, pool_id: str) -> list[str]:
    """A pool and every pool below it (each once, even where parents form a cycle)."""
    out: list[str] = []
    stack = [pool_id]
    while stack:
        current = stack.pop()
        if current in out:
            continue
        out.append(current)
        stack.extend(child.id for child in reversed(tree.children.get(current, ())))
    return out
