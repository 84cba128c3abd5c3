"""parse_date: the formats sources write, to aware UTC; None for what is not a date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from dateutil.parser import parse as dateutil_parse
from hypothesis import given
from hypothesis import strategies as st

from streams.normalize.dates import _TZINFOS, parse_date, to_iso_z


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday 13 February 2017 13:04 GMT", "2017-02-13T13:04:00Z"),
        ("Feb 13, 2017 1:04 PM", "2017-02-13T13:04:00Z"),
        ("Feb 13, 2017 1:04 PM EST", "2017-02-13T18:04:00Z"),
        ("July 4, 2019 9:00 AM ET", "2019-07-04T13:00:00Z"),  # EDT in summer
        ("13/02/2017", "2017-02-13T00:00:00Z"),
        ("02/03/2017", "2017-03-02T00:00:00Z"),  # day first
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01Z"),
        (" 3-MAR-1987 10:15:22.41", "1987-03-03T10:15:22Z"),
        ("2017-02-13T13:04:00Z", "2017-02-13T13:04:00Z"),
        ("2017-02-13T14:04:00+01:00", "2017-02-13T13:04:00Z"),
        ("2017-02-13", "2017-02-13T00:00:00Z"),
        ("Mon, 13 Feb 2017 13:04:00 +0000", "2017-02-13T13:04:00Z"),
        ("Mon, 13 Feb 2017 08:04:00 -0500", "2017-02-13T13:04:00Z"),
        ("Updated: 14 March 2018 09:30 CET", "2018-03-14T08:30:00Z"),
        ("Wed, 14 Mar 2018 09:30 BST", "2018-03-14T08:30:00Z"),
    ],
)
def test_formats(text: str, expected: str) -> None:
    dt = parse_date(text)
    assert dt is not None
    assert dt.tzinfo is not None and dt.utcoffset() == timedelta(0)
    assert to_iso_z(dt) == expected


def test_fraction_of_seconds_kept() -> None:
    assert parse_date("26-FEB-1987 15:01:01.79") == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)


def test_default_tz_for_naive_dates() -> None:
    cet = timezone(timedelta(hours=1))
    assert to_iso_z(parse_date("13 February 2017 13:04", default_tz=cet)) == "2017-02-13T12:04:00Z"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Comments",
        "hello 2017 world",
        "99-XYZ-1987 10:00:00",
        "2017-13-45",
        "Reuters",
        "x" * 500,
        "30-FEB-1987 10:00:00",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


@given(st.text(max_size=120))
def test_never_raises(text: str) -> None:
    dt = parse_date(text)
    assert dt is None or dt.utcoffset() == timedelta(0)


FORMATS_OUT = [
    "%A %d %B %Y %H:%M GMT",
    "%a, %d %b %Y %H:%M:%S +0000",
    "%b %d, %Y %I:%M %p UTC",
    "%B %d, %Y",
    "%d %B %Y",
    "%Y-%m-%dT%H:%M:%SZ",
    "%d/%m/%Y %H:%M",
]


@given(
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2099, 12, 31)),
    st.sampled_from(FORMATS_OUT),
)
def test_round_trip_through_written_forms(dt: datetime, fmt: str) -> None:
    text = dt.strftime(fmt)
    parsed = parse_date(text)
    assert parsed is not None, text
    expected = dt.replace(tzinfo=UTC)
    if "%S" not in fmt:
        expected = expected.replace(second=0)
    if "%H" not in fmt and "%I" not in fmt:
        expected = expected.replace(hour=0, minute=0)
    assert parsed == expected.replace(microsecond=0), text


@pytest.mark.parametrize(
    "text",
    ["Monday 13 February 2017 13:04 GMT", "Feb 13, 2017 1:04 PM EST", "Mon, 13 Feb 2017 08:04:00 -0500",
     "13 Sept 2017", "July 4, 2019 9:00 AM ET", "1 Jan 2020 00:00 CET"],
)  # fmt: skip
def test_fast_path_agrees_with_dateutil(text: str) -> None:
    expected = dateutil_parse(text, tzinfos=_TZINFOS, dayfirst=True)
    if expected.tzinfo is None:
        expected = expected.replace(tzinfo=UTC)
    assert parse_date(text) == expected.astimezone(UTC)


def test_cjk_dates() -> None:
    assert to_iso_z(parse_date("2023年5月12日")) == "2023-05-12T00:00:00Z"  # type: ignore[arg-type]
    jst = timezone(timedelta(hours=9))
    assert to_iso_z(parse_date("2023年5月12日 14:05", default_tz=jst)) == "2023-05-12T05:05:00Z"  # type: ignore[arg-type]
    assert parse_date("2023年13月12日") is None
