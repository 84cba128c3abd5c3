"""Parse the dates news sources write (ISO 8601, RFC 2822, page bylines, Reuters-21578) to aware UTC.

Libraries: ``ciso8601`` parses ISO 8601 / RFC 3339 in C (about 20x faster than dateutil), so it is
the fast path for ninjs and NewsML-G2 timestamps. ``dateutil.parser`` handles the long tail of
human-written forms ("13/02/2017", "Sunday, February 12, 2017 at 9 p.m.", "13:05 GMT 09/11/2022")
far better than anything hand-written, with our table of zone abbreviations.

Two shapes are matched by hand because they are hot paths and dateutil costs ~0.15 ms a call (a
third of the page-text budget): the Reuters-21578 DATE ("26-FEB-1987 15:01:01.79") and the
day-month-year / month-day-year forms pages and RFC 2822 write ("Monday 13 February 2017 13:04
GMT", "Feb 13, 2017 1:04 PM ET", "Mon, 13 Feb 2017 13:04:00 +0000"). Whatever the fast path does
not fully understand falls through to dateutil; tests check both give the same answer.

Ambiguous numeric dates ("02/03/2017") are read day-first (the convention outside the US);
a first number above 12 is unambiguous either way. A text without a four-digit year is not a
date here: dateutil would otherwise fill the missing parts from today.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

import ciso8601
from dateutil import parser as _du_parser
from dateutil.tz import gettz

#: Abbreviations dateutil does not know by itself. US zones map to their IANA zone so EST/EDT
#: are both right whatever the season; the rest are fixed offsets.
_TZINFOS: dict[str, tzinfo | int | None] = {
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "BST": 3600,
    "IST": 19800,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "JST": 32400,
    "HKT": 28800,
    "SGT": 28800,
    "AEST": 36000,
    "AEDT": 39600,
    "NZST": 43200,
    "NZDT": 46800,
    "KST": 32400,
    "WIB": 25200,
    "PKT": 18000,
    "SAST": 7200,
    "WAT": 3600,
    "CAT": 7200,
    "EAT": 10800,
    "WET": 0,
    "WEST": 3600,
    "HST": -36000,
    "AKST": -32400,
    "AKDT": -28800,
    "ET": gettz("America/New_York"),
    "EST": gettz("America/New_York"),
    "EDT": gettz("America/New_York"),
    "CT": gettz("America/Chicago"),
    "CST": gettz("America/Chicago"),
    "CDT": gettz("America/Chicago"),
    "MT": gettz("America/Denver"),
    "MST": gettz("America/Denver"),
    "MDT": gettz("America/Denver"),
    "PT": gettz("America/Los_Angeles"),
    "PST": gettz("America/Los_Angeles"),
    "PDT": gettz("America/Los_Angeles"),
}

_MONTHS = {
    m: i
    for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)
}
_R21578 = re.compile(r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*$")
_ISO = re.compile(r"\s*\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
#: Besides a year, a date names a month or writes day/month numerically; "hello 2017" is no date.
_DATEISH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}",
    re.IGNORECASE,
)
#: Words pages put around a date ("Updated:", "Published on", "Last modified") that dateutil chokes on.
_NOISE = re.compile(
    r"^\s*(?:(?:last\s+)?(?:updated|modified|published|posted|created)(?:\s+on|\s+at)?\s*:?\s*)",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = (
    r"(?:,?\s+(?:at\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
    r"\s*(?P<tz>[a-z]{1,5}|[+-]\d{2}:?\d{2})?\s*$"
)
#: Day-month-year and month-day-year as pages and RFC 2822 write them ("Monday 13 February 2017
#: 13:04 GMT", "Feb 13, 2017 1:04 PM ET", "Mon, 13 Feb 2017 13:04:00 +0000"): matched directly
#: because dateutil costs ~0.15 ms a call, a third of the per-story budget of the page-text reader.
_DMY = re.compile(
    rf"^\s*{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mo>[a-z]{{3,9}})\.?,?\s+(?P<y>\d{{4}}){_TIME}", re.I
)
_MDY = re.compile(
    rf"^\s*{_WEEKDAY}(?P<mo>[a-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}", re.I
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
#: Chinese / Japanese dates: "2023年5月12日 14:05" (the time, when given, is local: default_tz).
_CJK_DATE = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:時](\d{2})分?)?")
#: Longer texts are not a date line; refusing them keeps dateutil off paragraphs.
MAX_DATE_TEXT = 80
_DEFAULT = datetime(2000, 1, 1)


def _tzinfo(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's tzinfos hook: known abbreviations, numeric offsets, else naive (no warning)."""
    if name:
        known = _TZINFOS.get(name.upper())
        if known is not None:
            return timezone(timedelta(seconds=known)) if isinstance(known, int) else known
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return None


def _to_utc(dt: datetime, default_tz: tzinfo) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=default_tz)
    return dt.astimezone(UTC)


def _fast(m: re.Match[str], default_tz: tzinfo) -> datetime | None:
    """A _DMY/_MDY match as UTC; None when a part is not what it seemed (dateutil then decides)."""
    mo = m.group("mo").lower()
    month = _MONTHS.get(mo[:3].upper())
    if month is None or not (_MONTH_NAMES[month - 1].startswith(mo) or mo == "sept"):
        return None
    hour = int(m.group("h") or 0)
    ampm = (m.group("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    tz: tzinfo | None = default_tz
    zone = m.group("tz")
    if zone:
        if zone[0] in "+-":
            digits = zone[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            tz = timezone(-offset if zone[0] == "-" else offset)
        else:
            known = _TZINFOS.get(zone.upper())
            if known is None:
                return None
            tz = timezone(timedelta(seconds=known)) if isinstance(known, int) else known
    try:
        dt = datetime(
            int(m.group("y")), month, int(m.group("d")), hour, int(m.group("mi") or 0), int(m.group("s") or 0),
            tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        return None
    return dt.astimezone(UTC)


def parse_date(text: str, *, default_tz: tzinfo = UTC) -> datetime | None:
    """Parse a date as a source wrote it; return an aware UTC datetime, or None if it is not one.

    A date with no zone is taken to be in ``default_tz``. Never raises.
    """
    if not text or len(text) > MAX_DATE_TEXT:
        return None
    if _ISO.match(text):
        try:
            return _to_utc(ciso8601.parse_datetime(text.strip()), default_tz)
        except ValueError:
            pass
    m = _R21578.match(text)
    if m:
        month = _MONTHS.get(m.group(2).upper())
        if month is None:
            return None
        frac = m.group(7) or "0"
        try:
            dt = datetime(
                int(m.group(3)), month, int(m.group(1)), int(m.group(4)), int(m.group(5)), int(m.group(6))
            ) + timedelta(microseconds=int(frac.ljust(6, "0")))
        except ValueError:
            return None
        return _to_utc(dt, default_tz)
    cjk = _CJK_DATE.match(text)
    if cjk:
        y, mo, d, hh, mi = cjk.groups()
        try:
            return _to_utc(datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0)), default_tz)
        except ValueError:
            return None
    fast = _DMY.match(text) or _MDY.match(text)
    if fast:
        dt_fast = _fast(fast, default_tz)
        if dt_fast is not None:
            return dt_fast
    if not _YEAR.search(text) or not _DATEISH.search(text):
        return None
    cleaned = _NOISE.sub("", text).strip().rstrip(".")
    try:
        dt = _du_parser.parse(cleaned, default=_DEFAULT, dayfirst=True, fuzzy=True, tzinfos=_tzinfo)
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    return _to_utc(dt, default_tz)


def to_iso_z(dt: datetime) -> str:
    """Format an aware datetime as the article convention wants it: UTC, seconds, ending in ``Z``."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["UTC", "parse_date", "timezone", "to_iso_z"]
