"""Tag: people, organisations, places and IPTC Media Topic subjects for a normalised article."""

from streams.tag.evidence import evidence_summary, story_parts
from streams.tag.tagger import Tagger

__all__ = ["Tagger", "evidence_summary", "story_parts"]
