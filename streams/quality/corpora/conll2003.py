"""CoNLL-2003: IOB2 ``.txt`` files, ``-DOCSTART-`` between documents, a blank line between sentences.

A document is a list of sentences of (token, tag). `conll_gold` gives its gold PER/ORG/LOC strings (MISC
ignored); `conll_article` is the article the tagger-alone evaluation tags (first sentence the headline, a
``CITY YYYY-MM-DD`` second sentence the dateline, the rest the body, sentences separated by blank lines).
The file name is the split: ``valid``/``testa`` development, the others held out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from streams.model import Article

#: The entity types scored, and the tagger's name for each.
CONLL_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
_DATE_LINE = re.compile(r"^([A-Z][A-Z .'\-]+?)\s+\d{4}-\d{2}-\d{2}$")

Document = list[list[tuple[str, str]]]


def conll_docs(path: Path) -> Iterable[Document]:
    """Documents as lists of sentences of (token, IOB2 tag)."""
    doc: Document = []
    sent: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("-DOCSTART-"):
                if sent:
                    doc.append(sent)
                if doc:
                    yield doc
                doc, sent = [], []
            elif not line:
                if sent:
                    doc.append(sent)
                sent = []
            else:
                cols = line.split()
                sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def is_dev(path: Path) -> bool:
    """The development files (``valid.txt``, ``testa``); the others are held out."""
    return path.name.startswith(("valid", "testa"))


def conll_gold(doc: Document) -> dict[str, set[str]]:
    """The document's gold entity strings per type of `CONLL_TYPES`."""
    out: dict[str, set[str]] = {t: set() for t in CONLL_TYPES}
    for sent in doc:
        cur: list[str] = []
        typ = ""
        for tok, tag in [*sent, ("", "O")]:
            if tag.startswith("I-") and cur and tag[2:] == typ:
                cur.append(tok)
                continue
            if cur and typ in out:
                out[typ].add(" ".join(cur))
            cur, typ = ([tok], tag[2:]) if tag != "O" else ([], "")
    return out


def conll_article(doc: Document) -> Article:
    """The article the tagger-alone evaluation tags (see the module docstring)."""
    sents = [" ".join(t for t, _ in s) for s in doc]
    art: Article = {"type": "text", "headlines": [{"role": "main", "value": sents[0]}]}
    rest = sents[1:]
    if rest and (m := _DATE_LINE.match(rest[0])):
        art["located"] = m.group(1)
        rest = rest[1:]
    if rest:
        art["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": "\n\n".join(rest)}]
    return art
