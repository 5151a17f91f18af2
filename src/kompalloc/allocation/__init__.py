"""Allocation: pure functions from a validated Bundle to grants, with a reason for every krone."""

from kompalloc.allocation.engine import allocate
from kompalloc.allocation.ordering import priority_key
from kompalloc.allocation.results import Allocation, Grant, PoolResult, RoundResult, Status

__all__ = ["Allocation", "Grant", "PoolResult", "RoundResult", "Status", "allocate", "priority_key"]
