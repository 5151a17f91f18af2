"""The binding cap replayed from the decisions is the one the engine's own sentence names, with
the same room at the application's turn."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from kompalloc.allocation import allocate
from kompalloc.allocation.binding import bindings
from kompalloc.allocation.wording import short_of
from kompalloc.model import Bundle
from strategies import worlds

EXAMPLES = 300


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(worlds(methods=("priority",)))
def test_the_replayed_room_is_the_room_the_decision_was_made_with(b: Bundle) -> None:
    result = allocate(b)
    found = bindings(b, result)
    for app_id, binding in found.items():
        grant = result.by_application[app_id]
        assert binding.asked == grant.requested and binding.granted == grant.granted
        assert binding.granted <= max(binding.room, 0)
        said = short_of(binding.label, binding.room)
        if binding.label + " had " in grant.detail:
            assert said in grant.detail, (said, grant.detail)


def test_an_earmark_decided_first_is_not_replayed_in_the_round_s_order() -> None:
    """Found by the property above in CI: the earmark phase funds a01 (young) before the pass
    reaches a00, so in the round's order a00 seemed to have the øre the earmark took."""
    from factories import application, bundle, pool

    b = bundle(
        pools=[pool("ps", 1, earmarks={"young": 1})],
        applications=[
            application("a00", 2, partial=True, exclusive_group="g1"),
            application("a01", 1, partial=True, target_groups=("young",)),
        ],
    )
    result = allocate(b)
    assert result.by_application["a01"].granted == 1
    assert "had 0\u00a0kr left" in result.by_application["a00"].detail
    binding = bindings(b, result).get("a00")
    assert binding is None or binding.room == 0
