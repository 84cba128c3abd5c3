"""The calibrated dedupe thresholds (chosen on generated variants of Reuters-21578; see docs/dedupe.md)."""

from __future__ import annotations

#: Two texts are "the same story" when their shingle Jaccard reaches this ...
RELATED_JACCARD = 0.5
#: ... or when one contains this much of the other (a trimmed copy; an update that adds paragraphs).
RELATED_CONTAINMENT = 0.8
#: A kill or correction names its story more loosely: its text may be a short notice.
SIGNAL_CONTAINMENT = 0.5
#: Above this Jaccard and with the same headline and figures, a same-channel re-send is a duplicate
#: (a typo fix), not an update worth a new version.
MINOR_EDIT_JACCARD = 0.9
#: An update from the wire must add at least this fraction of new shingles, or new figures, or change
#: the headline; less is a re-send with minor edits (a typo or ticker fix).
UPDATE_MIN_NEW = 0.1
#: ... and keep this much of the old text to be an update when figures changed too (else: a template).
UPDATE_KEEPS_OLD = 0.9
#: Bodies shorter than this many shingles are templated notices ("Qtly div 12 cts vs 12 cts prior"):
#: identical text under different headlines is then a different story.
SHORT_BODY = 30
#: Headline word Jaccard under which two short notices with the same body are different stories.
HEADLINE_SAME = 0.5
#: A short text is still the same story (a trimmed table under a shortened headline; a copy in page
#: chrome; an update that adds lines) when one text contains the other (containment at least
#: SHORT_COPY_CONTAINMENT) and the headline words are mostly the story's (share of the shorter
#: headline's words found in the other at least HEADLINE_CONTAINED).
SHORT_COPY_CONTAINMENT = 0.95
HEADLINE_CONTAINED = 0.8
#: Index lists keep at most this many story ids (hot keys: a shingle common to many stories).
INDEX_CAP = 24
#: A wire story whose text changed this long after the story's latest version, unmarked, is a new story:
#: wires send updates within hours; a day later the same wording is the next recurring report ("GRAIN
#: SHIPS LOADING AT PORTLAND", "FED ADDS RESERVES VIA CUSTOMER REPURCHASES") or a follow-up. Without
#: this rule a template's daily reports chain into one story that never expires. Exact copies and
#: outlets' republications are still duplicates at any age within the horizon.
FOLLOW_UP_SECONDS = 18 * 3600
#: Stories under the same headline verified as candidates (besides those sharing text keys).
HEADLINE_CANDIDATES = 4
#: At most this many candidates are verified per article (the most recently stored first).
MAX_CANDIDATES = 48
#: A kill notice that arrived before the story it names matches a story under its headline only when the story
#: is dated no later than this after the notice (it was written before the kill, give or take clock skew).
NOTICE_SLACK_SECONDS = 3600
