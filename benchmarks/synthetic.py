"""In-memory rounds of any size for benchmarking the engine (no YAML involved)."""

from __future__ import annotations

from datetime import date

from kompalloc.model import Application, Bundle, Cluster, Institution, Limit, Pool, Scheme
from kompalloc.source import Span

SPAN = Span("synthetic", 1, 1, 1, 2)
MNOK = 100_000_000
CLUSTERS = ("kongsberg", "raufoss", "sunnmore", "sunnhordland", "agder", "grenland")
SCHEMES = ("ifs", "kui", "bpib", "bpmar")


def bundle_of(n: int, one_round: bool = False) -> Bundle:
    """n applications over 4 schemes x (n // 2 500) years, each root pool with 6 cluster sub-pools
    and an institution cap: three levels of caps (root, sub-pool, institution) plus max grants.

    ``one_round`` puts every application in one round (one scheme, one year) whose caps are
    scaled to the number of applications, so that money runs out about a quarter of the way in:
    the worst case for a sweep of that round's cap."""
    years = [2000] if one_round else list(range(2000, 2000 + max(1, n // 2_500)))
    scale = max(1, n // 625) if one_round else 1
    types = ("universitet", "fagskole_offentlig", "hogskole_statlig")
    schemes = {
        s: Scheme(
            id=s, span=SPAN, spans={}, name=s, administrator="HK-dir", institution_types=types
        )
        for s in SCHEMES
    }
    clusters = {c: Cluster(id=c, span=SPAN, spans={}, name=c) for c in CLUSTERS}
    institutions = {
        f"i{k:03d}": Institution(
            id=f"i{k:03d}", span=SPAN, spans={}, name=f"I{k}", type=types[k % 3]
        )
        for k in range(60)
    }
    pools: dict[str, Pool] = {}
    for s in SCHEMES:
        for y in years:
            root = f"{s}-{y}"
            pools[root] = Pool(
                id=root,
                span=SPAN,
                spans={},
                scheme=s,
                year=y,
                cap=400 * MNOK * scale,
                committed=10 * MNOK,
                institution_cap=12 * MNOK * scale,
            )
            for c in CLUSTERS:
                pools[f"{root}-{c}"] = Pool(
                    id=f"{root}-{c}",
                    span=SPAN,
                    spans={},
                    parent=root,
                    cap=70 * MNOK * scale,
                    clusters=(c,),
                    max_grant=3 * MNOK,
                )
    apps = {}
    for k in range(n):
        app_id = f"A{k:07d}"
        apps[app_id] = Application(
            id=app_id,
            span=SPAN,
            spans={},
            scheme=SCHEMES[0 if one_round else k % 4],
            year=years[(k // 4) % len(years)],
            institution=f"i{k % 60:03d}",
            cluster=CLUSTERS[k % 6],
            title="Kurs",
            requested=(10 + k % 37) * MNOK // 10,
            participants=10 + k % 50,
            submitted=date(2021, 9, 1 + k % 14),
            rank=1 + k // 24 % 500,
            partial=bool(k % 3),
        )
    return Bundle(
        schemes=schemes,
        pools=pools,
        clusters=clusters,
        institutions=institutions,
        applications=apps,
    )


def rounds_of(rounds: int, per_round: int = 5) -> Bundle:
    """``rounds`` independent rounds (one scheme each, 2021), each with a root pool of 10 MNOK,
    ``per_round`` partial applications of 1 MNOK and one limit over that round's pool of 3 MNOK,
    which binds: every round grants exactly 3 MNOK. The same data as run.py's many-rounds files."""
    types = ("universitet",)
    schemes = {
        f"s{k:05d}": Scheme(
            id=f"s{k:05d}",
            span=SPAN,
            spans={},
            name="S",
            administrator="HK-dir",
            institution_types=types,
        )
        for k in range(rounds)
    }
    pools = {
        f"r{k:05d}": Pool(
            id=f"r{k:05d}", span=SPAN, spans={}, scheme=f"s{k:05d}", year=2021, cap=10 * MNOK
        )
        for k in range(rounds)
    }
    limits = {
        f"L{k:05d}": Limit(id=f"L{k:05d}", span=SPAN, spans={}, cap=3 * MNOK, pools=(f"r{k:05d}",))
        for k in range(rounds)
    }
    apps = {}
    for k in range(rounds):
        for j in range(per_round):
            app_id = f"A{k:05d}{j}"
            apps[app_id] = Application(
                id=app_id,
                span=SPAN,
                spans={},
                scheme=f"s{k:05d}",
                year=2021,
                institution="i0",
                cluster="c",
                title="K",
                requested=MNOK,
                submitted=date(2021, 9, 1),
                rank=j + 1,
                partial=True,
            )
    return Bundle(
        schemes=schemes,
        pools=pools,
        clusters={"c": Cluster(id="c", span=SPAN, spans={}, name="C")},
        institutions={
            "i0": Institution(id="i0", span=SPAN, spans={}, name="I", type="universitet")
        },
        applications=apps,
        limits=limits,
    )
