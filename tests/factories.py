"""Small builders of model entries for tests that do not need YAML."""

from __future__ import annotations

from datetime import date
from typing import Any

from kompalloc.model import Application, Bundle, Cluster, Institution, Limit, Pool, Scheme
from kompalloc.source import Span

SPAN = Span("test.yaml", 1, 1, 1, 2)


def scheme(id: str = "s", **kw: Any) -> Scheme:
    values: dict[str, Any] = {
        "name": id.upper(),
        "administrator": "HK-dir",
        "institution_types": ("fagskole_offentlig", "universitet"),
    }
    values.update(kw)
    return Scheme(id=id, span=SPAN, spans={}, **values)


def pool(id: str, cap: int, **kw: Any) -> Pool:
    if "parent" not in kw:
        kw.setdefault("scheme", "s")
        kw.setdefault("year", 2021)
    return Pool(id=id, span=SPAN, spans={}, cap=cap, **kw)


def institution(id: str, type: str = "fagskole_offentlig") -> Institution:
    return Institution(id=id, span=SPAN, spans={}, name=id.title(), type=type)


def cluster(id: str, name: str | None = None) -> Cluster:
    return Cluster(id=id, span=SPAN, spans={}, name=name or id.title())


def application(id: str, requested: int, **kw: Any) -> Application:
    values: dict[str, Any] = {
        "scheme": "s",
        "year": 2021,
        "institution": "i1",
        "title": f"Course {id}",
        "submitted": date(2021, 9, 1),
    }
    values.update(kw)
    return Application(id=id, span=SPAN, spans={}, requested=requested, **values)


def bundle(
    *,
    schemes: list[Scheme] | None = None,
    pools: list[Pool],
    applications: list[Application],
    institutions: list[Institution] | None = None,
    clusters: list[Cluster] | None = None,
) -> Bundle:
    return Bundle(
        schemes={s.id: s for s in (schemes or [scheme()])},
        pools={p.id: p for p in pools},
        clusters={c.id: c for c in (clusters or [cluster("k1"), cluster("k2")])},
        institutions={i.id: i for i in (institutions or [institution("i1"), institution("i2")])},
        applications={a.id: a for a in applications},
    )


def rounds_with_limits(n: int) -> Bundle:
    """n rounds of 5 applications, each round with one limit over its pool (which binds)."""
    apps = [
        application(
            f"A{k}-{j}",
            100,
            scheme=f"s{k}",
            rank=j + 1,
            partial=True,
            cluster="c",
            submitted=date(2021, 9, 1),
        )
        for k in range(n)
        for j in range(5)
    ]
    limits_ = [Limit(id=f"L{k}", span=SPAN, spans={}, cap=300, pools=(f"r{k}",)) for k in range(n)]
    return Bundle(
        schemes={f"s{k}": scheme(f"s{k}") for k in range(n)},
        pools={f"r{k}": pool(f"r{k}", 1_000, scheme=f"s{k}") for k in range(n)},
        clusters={"c": Cluster(id="c", span=SPAN, spans={}, name="C")},
        institutions={"i1": institution("i1")},
        applications={a.id: a for a in apps},
        limits={lim.id: lim for lim in limits_},
    )
