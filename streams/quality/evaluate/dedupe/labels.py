"""Gold labels among real corpus stories: same-story, ambiguous and recurring-report pairs (rule: package doc)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from itertools import combinations

from streams.dedupe.fingerprint import headline_key
from streams.quality.corpora.fixtures import Source

REAL_SAME_DAYS = 7
AMBIGUOUS_DAYS = 3


def _norm_ws(text: str) -> str:
    return " ".join(text.split())


def _hwords(headline: str) -> set[str]:
    return set(headline_key(headline).split())


def recurring_pairs(sources: list[Source], horizon: timedelta) -> list[tuple[str, str]]:
    """Real pairs under the same headline with different bodies, more than AMBIGUOUS_DAYS apart but within
    the horizon: recurring templated reports (labelled different stories)."""
    by_title: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_title[_norm_ws(s.headline)].append(s)
    out = []
    for group in by_title.values():
        for a, b in combinations(group, 2):
            gap = abs(a.when - b.when)
            if timedelta(days=AMBIGUOUS_DAYS) < gap <= horizon and _norm_ws(" ".join(a.paragraphs)) != _norm_ws(
                " ".join(b.paragraphs)
            ):
                out.append((a.id, b.id))
    return out


def real_pairs(sources: list[Source]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(same-story pairs, ambiguous pairs) among real corpus stories, by the rule in the module doc."""
    same: set[tuple[str, str]] = set()
    ambiguous: set[tuple[str, str]] = set()
    by_body: dict[str, list[Source]] = defaultdict(list)
    by_title: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_body[_norm_ws(" ".join(s.paragraphs))].append(s)
        by_title[_norm_ws(s.headline)].append(s)
    for group in by_body.values():
        for a, b in combinations(group, 2):
            pair = (min(a.id, b.id), max(a.id, b.id))
            if abs(a.when - b.when) > timedelta(days=REAL_SAME_DAYS):
                continue
            ha, hb = _hwords(a.headline), _hwords(b.headline)
            if len(ha & hb) / max(1, len(ha | hb)) >= 0.5:
                same.add(pair)
            else:
                ambiguous.add(pair)
    # similar headlines (half their words shared), different bodies, within AMBIGUOUS_DAYS: an update,
    # a correction or a rewrite of one story, or a same-week re-run of a template; left out
    by_word: dict[str, list[int]] = defaultdict(list)
    words = [_hwords(s.headline) for s in sources]
    for i, ws in enumerate(words):
        for w in ws:
            by_word[w].append(i)
    window = timedelta(days=AMBIGUOUS_DAYS)
    for i, s in enumerate(sources):
        seen: set[int] = set()
        for w in words[i]:
            if len(by_word[w]) > 400:
                continue  # a word in hundreds of headlines ("says", "net") names nothing
            seen.update(j for j in by_word[w] if j > i)
        for j in seen:
            o = sources[j]
            if abs(o.when - s.when) > window:
                continue
            inter = len(words[i] & words[j])
            if inter / max(1, len(words[i] | words[j])) < 0.5:
                continue
            pair = (min(s.id, o.id), max(s.id, o.id))
            if pair not in same:
                ambiguous.add(pair)
    return same, ambiguous
