"""The sections of a kompalloc file (kept apart so the CLI can name them without the model)."""

from __future__ import annotations

from enum import StrEnum


class Section(StrEnum):
    """The sections of a kompalloc file, in the order they are reported."""

    SCHEMES = "schemes"
    POOLS = "pools"
    CLUSTERS = "clusters"
    INSTITUTIONS = "institutions"
    APPLICATIONS = "applications"
    LIMITS = "limits"
    GRANTS = "grants"
    """Grants decided earlier (older rounds, multi-year frame grants), with what came back."""
    EARLIER_ROUNDS = "earlier_rounds"
    """Decisions files of earlier rounds this round builds on."""
