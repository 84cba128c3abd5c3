"""The internal-error policy (pure): trips at the limit within the window, per stage, for good, with the first
traceback of the window."""

from __future__ import annotations

import pytest

from streams.guard.breaker import InternalErrorPolicy


def _error(text: str) -> BaseException:
    try:
        raise KeyError(text)
    except KeyError as exc:
        return exc


def test_trips_when_the_limit_is_reached_within_the_window() -> None:
    policy = InternalErrorPolicy(limit=3, window=5)
    assert [policy.record("tag", failed) for failed in (True, False, True, False)] == [False] * 4
    assert policy.tripped is None and policy.first_traceback is None
    assert policy.record("tag", True) is True
    trip = policy.tripped
    assert trip is not None
    assert (trip.stage, trip.failures, trip.seen, trip.limit, trip.window) == ("tag", 3, 5, 3, 5)
    assert "stage tag is broken: 3 of its last 5 inputs failed with internal-error" in trip.describe()


def test_the_defaults_are_20_of_the_last_50() -> None:
    policy = InternalErrorPolicy()
    for _ in range(19):
        assert policy.record("normalize", True) is False
    assert policy.record("normalize", True) is True


def test_old_failures_slide_out_of_the_window() -> None:
    policy = InternalErrorPolicy(limit=3, window=5)
    # two failures, then four successes: the window of 5 still holds the second failure only
    for failed in (True, True, False, False, False, False):
        assert policy.record("dedupe", failed) is False
    assert policy.failures("dedupe") == (1, 5)
    assert policy.record("dedupe", True) is False  # the second failure slides out as this one comes in
    assert policy.failures("dedupe") == (1, 5)
    assert policy.record("dedupe", True) is False
    assert policy.failures("dedupe") == (2, 5)
    assert policy.record("dedupe", True) is True


def test_one_poisoned_story_now_and_then_never_trips() -> None:
    policy = InternalErrorPolicy(limit=20, window=50)
    for n in range(10_000):
        assert policy.record("normalize", n % 7 == 0) is False  # 1 in 7: at most 8 of any 50
    assert policy.tripped is None


def test_stages_are_counted_apart() -> None:
    policy = InternalErrorPolicy(limit=2, window=4)
    assert policy.record("normalize", True) is False
    assert policy.record("tag", True) is False
    assert policy.record("dedupe", True) is False
    assert policy.failures("normalize") == (1, 1) and policy.failures("route") == (0, 0)
    assert policy.record("tag", True) is True
    assert policy.tripped is not None and policy.tripped.stage == "tag"


def test_it_stays_tripped_and_keeps_the_first_trip() -> None:
    policy = InternalErrorPolicy(limit=1, window=1)
    assert policy.record("tag", True, "first") is True
    assert policy.record("tag", False) is True
    assert policy.record("normalize", True, "second") is True
    assert policy.tripped is not None and policy.tripped.stage == "tag"
    assert policy.first_traceback == "first"


def test_the_first_traceback_is_the_earliest_failure_still_in_the_window() -> None:
    policy = InternalErrorPolicy(limit=2, window=3)
    policy.record("tag", True, _error("gone"))
    policy.record("tag", False)
    policy.record("tag", False)  # "gone" slides out
    policy.record("tag", True, _error("table missing"))
    assert policy.record("tag", True, _error("later")) is True
    text = policy.first_traceback
    assert text is not None
    assert text.startswith("Traceback (most recent call last):")
    assert "KeyError: 'table missing'" in text and "gone" not in text and "later" not in text


@pytest.mark.parametrize("limit,window", [(0, 50), (51, 50), (-1, 0)])
def test_limit_must_be_within_the_window(limit: int, window: int) -> None:
    with pytest.raises(ValueError, match="1 <= limit <= window"):
        InternalErrorPolicy(limit=limit, window=window)
