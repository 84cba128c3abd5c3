"""Read progress: the gaps an agent must fill itself and the replays it processes again (pure)."""

from __future__ import annotations

from streams.kafka.progress import Progress


def test_a_record_that_follows_on_or_replays_is_no_gap() -> None:
    progress = Progress({})
    assert progress.gap(0, 7) is None  # nothing known yet: the first record sets the baseline
    progress.done(0, 7)
    assert progress.gap(0, 8) is None
    assert progress.gap(0, 3) is None  # a replay after a rebalance or a rewind


def test_a_record_further_on_reveals_the_skipped_offsets() -> None:
    progress = Progress({})
    for offset in range(5):
        progress.done(1, offset)
    assert progress.gap(1, 9) == (5, 9)
    assert progress.gap(0, 9) is None  # partitions are independent


def test_progress_never_moves_back_on_a_replay() -> None:
    table: dict[int, int] = {}
    progress = Progress(table)
    progress.done(0, 10)
    progress.done(0, 4)
    assert table == {0: 11}
    assert progress.gap(0, 12) == (11, 12)


def test_progress_is_written_through_and_read_back_after_forget() -> None:
    table: dict[int, int] = {}
    progress = Progress(table)
    progress.done(2, 40)
    assert table == {2: 41}  # the next owner of partition 2 reads this
    table[2] = 60  # another worker moved the partition on while this one did not hold it
    assert progress.gap(2, 60) == (41, 60)  # memory still says 41 ...
    progress.forget()  # ... until the rebalance makes it forget
    assert progress.gap(2, 60) is None
