"""Build streams/tag/data/mediatopics.tsv (code, label, parent, top-level) from an IPTC Media Topics file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PREFIX = "http://cv.iptc.org/newscodes/mediatopic/"


def _code(ref: str) -> str:
    """`http://cv.iptc.org/newscodes/mediatopic/20000639` or `medtop:20000639` -> `medtop:20000639`."""
    return "medtop:" + ref.rsplit("/", 1)[-1].split(":")[-1]


def build(vocab_path: Path) -> list[tuple[str, str, str, str]]:
    """Rows (code, label, parent code or "", top-level code) for every concept that is not retired."""
    data = json.loads(vocab_path.read_text(encoding="utf-8"))
    concepts = {c["qcode"]: c for c in data["conceptSet"] if "retired" not in c}
    parent: dict[str, str] = {}
    for code, c in concepts.items():
        broader = [_code(b) for b in c.get("broader", []) if _code(b) in concepts]
        parent[code] = broader[0] if broader else ""
    rows = []
    for code, c in sorted(concepts.items()):
        top, seen = code, set()
        while parent[top] and top not in seen:
            seen.add(top)
            top = parent[top]
        label = c["prefLabel"].get("en-US") or next(iter(c["prefLabel"].values()))
        rows.append((code, label.replace("\t", " "), parent[code], top))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("vocab", type=Path, help="path to cptall-en-US.json")
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).resolve().parents[1] / "streams/tag/data/mediatopics.tsv")
    args = ap.parse_args(argv)
    rows = build(args.vocab)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("code\tlabel\tparent\ttoplevel\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} topics to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
