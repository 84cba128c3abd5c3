"""The stories an evaluation starts from: Reuters-21578 .sgm files or a JSON fixture of invented stories."""

from __future__ import annotations

import glob
import html
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(slots=True)
class Source:
    """One corpus story before it becomes an article."""

    id: str
    headline: str
    paragraphs: list[str]
    when: datetime


_REUTERS_RE = re.compile(r"<REUTERS(.*?)</REUTERS>", re.S)


def _tag(block: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
    return m.group(1) if m else None


def _clean(text: str) -> str:
    return html.unescape(re.sub(r"&#\d+;", " ", text))


def read_reuters21578(path: str | os.PathLike[str]) -> list[Source]:
    """Stories with a title and a body from `reut2-*.sgm` under `path` (or one .sgm file), in file order."""
    path = os.fspath(path)
    files = sorted(glob.glob(os.path.join(path, "reut2-*.sgm"))) if os.path.isdir(path) else [path]
    out: list[Source] = []
    for f in files:
        with open(f, encoding="latin-1") as fh:
            text = fh.read()
        for m in _REUTERS_RE.finditer(text):
            block = m.group(1)
            newid = re.search(r'NEWID="(\d+)"', block)
            title, body, date = _tag(block, "TITLE"), _tag(block, "BODY"), _tag(block, "DATE")
            if not (newid and title and body and date):
                continue
            try:
                when = datetime.strptime(date.strip().split(".")[0], "%d-%b-%Y %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
            paras = [" ".join(p.split()) for p in re.split(r"\n {2,}|\n\t", _clean(body))]
            paras = [p for p in paras if p]
            if paras and paras[-1].lower() in ("reuter", "reuters"):
                paras.pop()
            elif paras:
                paras[-1] = re.sub(r"\s*Reuters?$", "", paras[-1])
            if not paras:
                continue
            out.append(Source(f"r{newid.group(1)}", " ".join(_clean(title).split()), paras, when))
    return out


def load_sources(path: str) -> list[Source]:
    """Stories from a JSON fixture: {"stories": [{"id", "when", "headline", "paragraphs"}, ...]}."""
    import orjson

    with open(path, "rb") as fh:
        data = orjson.loads(fh.read())
    return [
        Source(s["id"], s["headline"], list(s["paragraphs"]),
               datetime.fromisoformat(s["when"].replace("Z", "+00:00")))
        for s in data["stories"]
    ]


def read_corpus(path: str | os.PathLike[str]) -> list[Source]:
    """A Reuters-21578 directory or .sgm file, or a JSON fixture of stories."""
    p = os.fspath(path)
    return load_sources(p) if p.endswith(".json") else read_reuters21578(p)
