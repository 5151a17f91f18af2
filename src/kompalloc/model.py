"""The domain model: frozen records for schemes, pools, clusters, institutions and applications."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from kompalloc.money import ORE_PER_KRONE
from kompalloc.sections import Section as Section  # re-exported: the model speaks of sections
from kompalloc.source import Span

if TYPE_CHECKING:  # amounts of these kinds are rare: their modules load only when read
    from decimal import Decimal
    from fractions import Fraction

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


class Method(StrEnum):
    """How a root pool shares its money: see README, 'Allocation methods'."""

    PRIORITY = "priority"
    PRO_RATA = "pro_rata"
    CAPPED_EQUAL = "capped_equal"
    APPORTION = "apportion"


class Shortfall(StrEnum):
    """What a priority pool does when the next application does not fit in full."""

    PART_FUND = "part_fund"
    SKIP = "skip"
    STOP = "stop"


class OrderBy(StrEnum):
    """What a priority pool orders applications by."""

    RANK = "rank"
    SCORE = "score"


class TiePolicy(StrEnum):
    """What a pool does with applications its order cannot tell apart."""

    ORDER = "order"
    REFUSE = "refuse"
    LOTTERY = "lottery"


class ApportionRule(StrEnum):
    """Largest remainder, and the divisor methods (the modified one starts at 1.4, as in Norway)."""

    HAMILTON = "hamilton"
    SAINTE_LAGUE = "sainte_lague"
    MODIFIED_SAINTE_LAGUE = "modified_sainte_lague"
    DHONDT = "dhondt"


class Grouping(StrEnum):
    """What a share or a limit can be taken per."""

    CLUSTER = "cluster"
    INSTITUTION = "institution"
    INSTITUTION_TYPE = "institution_type"


# The words a file may write for each policy, in the order help and messages list them.
METHODS: tuple[str, ...] = tuple(Method)
SHORTFALLS: tuple[str, ...] = tuple(Shortfall)
ORDERS: tuple[str, ...] = tuple(OrderBy)
TIE_POLICIES: tuple[str, ...] = tuple(TiePolicy)
APPORTION_RULES: tuple[str, ...] = tuple(ApportionRule)
GROUPINGS: tuple[str, ...] = tuple(Grouping)
GRANT_STATUSES: tuple[str, ...] = ("granted", "withdrawn", "repaid")
"""Where an earlier grant stands: still granted, withdrawn (all of it returns to its pools) or
repaid in part or in full (the repaid amount returns)."""
RETURN_STATUSES: tuple[str, ...] = ("withdrawn", "repaid")
"""What can happen to a grant of an earlier round after its decisions file was written."""


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
    max_share_per_cluster: Fraction | None = None
    """No single cluster gets more than this share of the cap."""
    max_share_per_institution: Fraction | None = None
    max_share_per_institution_type: Fraction | None = None
    aid_intensity: Fraction | None = None
    """A grant is at most this share of the application's budget."""
    earmarks: Mapping[str, int] | None = None
    """Money reserved for applications of a target group, released to all when unused."""
    method: str | None = None
    """Root pools only: one of :class:`Method` (default priority); see :attr:`allocation_method`."""
    shortfall: str | None = None
    order: str | None = None
    min_score: Decimal | None = None
    ties: str | None = None
    seed: int | None = None
    unit: int | None = None
    """Grants are whole multiples of this amount (øre); default 1 krone."""
    deadline: date | None = None
    """Root pools only: this round's deadline, in place of the scheme's."""
    apportion: Apportion | None = None

    @property
    def label(self) -> str:
        """The name to show, falling back to the id."""
        return self.name or self.id

    # The policies with their defaults, resolved here once: the engine never reads the raw
    # fields (None where the file left them out) for them.

    @property
    def allocation_method(self) -> Method:
        """Its method (root pools; default priority)."""
        return Method(self.method) if self.method else Method.PRIORITY

    @property
    def shortfall_policy(self) -> Shortfall:
        """What it does when the next application does not fit (default part_fund)."""
        return Shortfall(self.shortfall) if self.shortfall else Shortfall.PART_FUND

    @property
    def order_by(self) -> OrderBy:
        """What it orders applications by (default rank)."""
        return OrderBy(self.order) if self.order else OrderBy.RANK

    @property
    def tie_policy(self) -> TiePolicy:
        """What it does with ties its order cannot break (default order)."""
        return TiePolicy(self.ties) if self.ties else TiePolicy.ORDER

    @property
    def grant_unit(self) -> int:
        """Grants are whole multiples of this (øre; default 1 krone, as for a unit of 0,
        which validation reports)."""
        return self.unit or ORE_PER_KRONE


@dataclass(frozen=True, slots=True)
class Apportion:
    """How an apportioning pool splits its money into shares before allocating inside each."""

    by: str
    """One of GROUPINGS."""
    weights: Mapping[str, Decimal]
    rule: str = "hamilton"
    floors: Mapping[str, int] = field(default_factory=dict)
    caps: Mapping[str, int] = field(default_factory=dict)
    then: str = Method.PRIORITY
    """The method used inside each share (priority, pro_rata or capped_equal)."""

    @property
    def inner_method(self) -> Method:
        """:attr:`then` as a method."""
        return Method(self.then)


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
    short_name: str | None = None
    """How tables name it where space is short, e.g. USN, NTNU."""

    @property
    def label(self) -> str:
        """The short name if it has one, else the name."""
        return self.short_name or self.name


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
    score: Decimal | None = None
    tie_break: int | None = None
    """An explicit order among applications of equal rank or score: lower first."""
    budget: int | None = None
    """The offer's budgeted cost, for pools with an aid intensity."""
    target_groups: tuple[str, ...] = ()
    fixed_grant: int | None = None
    """A grant the council has decided; the engine gives exactly this and charges every cap."""
    exclusive_group: str | None = None
    """At most one application of a group is funded."""


@dataclass(frozen=True, slots=True)
class Limit(Entry):
    """A cap over any set of applications across pools, e.g. per institution across a year."""

    cap: int = 0
    year: int | None = None
    schemes: tuple[str, ...] | None = None
    pools: tuple[str, ...] | None = None
    clusters: tuple[str, ...] | None = None
    institutions: tuple[str, ...] | None = None
    institution_types: tuple[str, ...] | None = None
    per: str | None = None
    """When set (one of GROUPINGS), the cap holds for each group separately."""
    name: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerGrant(Entry):
    """A grant decided before this round (an older round, a multi-year frame grant).

    It finds its pools the way an application does (scheme, year, cluster, institution type),
    in each budget year it spreads over, and counts against every one of them.
    """

    scheme: str = ""
    years: Mapping[int, int] = field(default_factory=dict)
    """Øre granted per budget year (a frame grant spreads over several years)."""
    decided: date = date.min
    """When it was decided."""
    title: str | None = None
    application: str | None = None
    """The application it was granted to, where there was one (older grants have a title)."""
    institution: str | None = None
    cluster: str | None = None
    status: str = "granted"
    """One of GRANT_STATUSES."""
    returned: int | None = None
    """Repaid øre (status repaid); a withdrawn grant returns all of it."""
    returned_on: date | None = None
    """When it was withdrawn or repaid."""
    returned_year: int | None = None
    """The budget year the repayment goes back to (default: the grant's last year)."""
    source: str | None = None
    """Where the decision is recorded (a letter, a decisions file and its digest)."""

    @property
    def label(self) -> str:
        """The application id, else the title, else the id."""
        return self.application or self.title or self.id


@dataclass(frozen=True, slots=True)
class Return:
    """A grant of an earlier round withdrawn or repaid after its decisions file was written."""

    status: str
    """One of RETURN_STATUSES."""
    returned_on: date
    amount: int | None = None
    """Repaid øre (status repaid); a withdrawn grant returns all of it."""
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class RoundGrant:
    """One grant as an earlier round's decisions file records it."""

    application: str
    scheme: str
    year: int
    pools: tuple[str, ...]
    """The pools it drew on, root first."""
    granted: int
    status: str
    institution: str | None = None
    cluster: str | None = None


@dataclass(frozen=True, slots=True)
class EarlierRound(Entry):
    """An earlier round this one builds on: its decisions file, pinned by digest."""

    decisions: str = ""
    """The decisions file as written (relative to the file that names it)."""
    sha256: str = ""
    decided: date = date.min
    """When its grants were decided."""
    name: str | None = None
    returns: Mapping[str, Return] = field(default_factory=dict)
    """Its grants withdrawn or repaid since, by application id."""
    grants: tuple[RoundGrant, ...] = ()
    """Filled in by the loader from the decisions file."""
    as_of: date | None = None
    """The --as-of of the run that wrote the decisions file, if it had one."""

    @property
    def label(self) -> str:
        """The name to show, falling back to the id."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Bundle:
    """Everything loaded from a run's files, by section and id (the first definition wins)."""

    schemes: Mapping[str, Scheme]
    pools: Mapping[str, Pool]
    clusters: Mapping[str, Cluster]
    institutions: Mapping[str, Institution]
    applications: Mapping[str, Application]
    limits: Mapping[str, Limit] = field(default_factory=dict)
    grants: Mapping[str, LedgerGrant] = field(default_factory=dict)
    earlier_rounds: Mapping[str, EarlierRound] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    """The files read, in load order."""
    broken: Mapping[Section, frozenset[str]] = field(default_factory=dict)
    """Ids whose entries had errors: references to them are not reported again."""
    duplicates: tuple[tuple[Section, Entry, Entry], ...] = ()
    """(section, kept, later) for every id defined more than once."""
    partial: tuple[tuple[Section, Entry], ...] = ()
    """Entries with errors, built from what could be read: only their references are checked."""
