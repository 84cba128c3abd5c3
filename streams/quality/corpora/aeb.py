"""The article-extraction benchmark's layout (scrapinghub/article-extraction-benchmark): `CORPUS/html/<key>.html.gz`
pages and `CORPUS/ground-truth.json` (`{key: {"articleBody": ...}}`)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any


def has_ground_truth(corpus: Path) -> bool:
    return (corpus / "ground-truth.json").is_file()


def load_corpus(corpus: Path) -> tuple[dict[str, str], dict[str, Path]]:
    """Ground-truth bodies and page paths of an AEB-layout corpus; only keys present in both."""
    truth_raw: dict[str, Any] = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {p.name.split(".")[0]: p for p in sorted((corpus / "html").glob("*.html.gz"))}
    truth = {k: str(v.get("articleBody") or "") for k, v in truth_raw.items() if k in pages}
    return truth, {k: pages[k] for k in truth}


def read_page(path: Path) -> str:
    """One gzipped page, decoded as UTF-8 (undecodable bytes replaced)."""
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def load_pages(corpus: Path, limit: int = 0) -> list[str]:
    """Every page under CORPUS (or CORPUS/html): .html.gz, .html and .htm files, sorted by name."""
    root = corpus / "html" if (corpus / "html").is_dir() else corpus
    paths = sorted(p for p in root.iterdir() if p.name.endswith((".html.gz", ".html", ".htm")))
    if limit:
        paths = paths[:limit]
    return [read_page(p) if p.name.endswith(".gz") else p.read_bytes().decode("utf-8", errors="replace") for p in paths]
