"""The domain model: frozen records for schemes, pools, clusters, institutions and applications."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from kompalloc.source import Span

INSTITUTION_TYPES: tuple[str, ...] = (
    "universitet",
    "hogskole_statlig",
    "hogskole_privat_offentlig_stotte",
    "hogskole_privat",
    "fagskole_offentlig",
    "fagskole_privat_offentlig_stotte",
    "fagskole_privat",
    "videregaende_skole",
    "fylkeskommune",
    "studieforbund",
    "privat_tilbyder",
)
"""Kinds of education institution; schemes name which of them may apply."""

PARTNER_ROLES: tuple[str, ...] = (
    "company",
    "employee_representative",
    "employer_organisation",
    "union",
    "cluster_organisation",
    "public_body",
    "other",
)
"""Roles a partner can have in an application; schemes may require some of them."""

LEVELS: tuple[str, ...] = ("upper_secondary", "tertiary_vocational", "higher_education", "other")
"""Education levels an offer can be at."""


class Section(StrEnum):
    """The sections of a kompalloc file, in the order they are reported."""

    SCHEMES = "schemes"
    POOLS = "pools"
    CLUSTERS = "clusters"
    INSTITUTIONS = "institutions"
    APPLICATIONS = "applications"


@dataclass(frozen=True, slots=True)
class Entry:
    """What every entry has: its id, where its id stands, and where each of its values stands."""

    id: str
    span: Span
    """The span of the entry's id (its key in the section)."""
    spans: Mapping[str, Span] = field(compare=False, repr=False)
    """The span of each value written in the file, by key."""

    def at(self, key: str) -> Span:
        """The span of a value, or of the entry's id when the key was not written."""
        return self.spans.get(key, self.span)


@dataclass(frozen=True, slots=True)
class Scheme(Entry):
    """A funding scheme: who runs it, who may apply and what an application must have."""

    name: str = ""
    administrator: str = ""
    institution_types: tuple[str, ...] = ()
    required_partners: tuple[str, ...] = ()
    deadline: date | None = None
    max_per_participant: int | None = None
    """A rate: a grant is at most this times the application's participants."""
    max_per_study_point: int | None = None
    """A rate: a grant is at most this times participants times study points."""
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Pool(Entry):
    """Money of one scheme for one budget year (a root pool), or a narrowed share of a parent."""

    scheme: str | None = None
    year: int | None = None
    parent: str | None = None
    name: str | None = None
    cap: int = 0
    """In øre, like every amount in the model."""
    committed: int = 0
    clusters: tuple[str, ...] | None = None
    institution_types: tuple[str, ...] | None = None
    min_grant: int | None = None
    max_grant: int | None = None
    institution_cap: int | None = None

    @property
    def label(self) -> str:
        """The name to show, falling back to the id."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Cluster(Entry):
    """An industry cluster: cooperating firms whose workers need training."""

    name: str = ""
    region: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Institution(Entry):
    """An education institution that applies for and delivers the training."""

    name: str = ""
    type: str = ""
    org_number: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class Company:
    """A company whose employees take part."""

    name: str
    org_number: str | None = None


@dataclass(frozen=True, slots=True)
class Partner:
    """A co-applicant or supporter of an application, in a role."""

    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Application(Entry):
    """An institution's application to a scheme for one year."""

    scheme: str = ""
    year: int = 0
    institution: str = ""
    cluster: str | None = None
    title: str = ""
    companies: tuple[Company, ...] = ()
    partners: tuple[Partner, ...] = ()
    requested: int = 0
    participants: int | None = None
    study_points: Decimal | None = None
    level: str | None = None
    submitted: date = date.min
    rank: int | None = None
    partial: bool = False
    min_grant: int | None = None


@dataclass(frozen=True, slots=True)
class Bundle:
    """Everything loaded from a run's files, by section and id (the first definition wins)."""

    schemes: Mapping[str, Scheme]
    pools: Mapping[str, Pool]
    clusters: Mapping[str, Cluster]
    institutions: Mapping[str, Institution]
    applications: Mapping[str, Application]
    files: tuple[str, ...] = ()
    """The files read, in load order."""
    broken: Mapping[Section, frozenset[str]] = field(default_factory=dict)
    """Ids whose entries had errors: references to them are not reported again."""
    duplicates: tuple[tuple[Section, Entry, Entry], ...] = ()
    """(section, kept, later) for every id defined more than once."""
    partial: tuple[tuple[Section, Entry], ...] = ()
    """Entries with errors, built from what could be read: only their references are checked."""
