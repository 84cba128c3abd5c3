"""The project's JSON fixtures of invented stories, and `Source`, a corpus story before it becomes an article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson


@dataclass(slots=True)
class Source:
    """One corpus story before it becomes an article."""

    id: str
    headline: str
    paragraphs: list[str]
    when: datetime


def load_sources(path: str) -> list[Source]:
    """Stories from a JSON fixture: {"stories": [{"id", "when", "headline", "paragraphs"}, ...]}."""
    with open(path, "rb") as fh:
        data = orjson.loads(fh.read())
    return [
        Source(s["id"], s["headline"], list(s["paragraphs"]),
               datetime.fromisoformat(s["when"].replace("Z", "+00:00")))
        for s in data["stories"]
    ]
