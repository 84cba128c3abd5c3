"""Backlog loading: files and folders become wire.raw records; what cannot is refused with a reason."""

import gzip
from pathlib import Path

import orjson

from streams.contracts import Contracts
from streams.normalize.backlog import RawRecord, Refusal, load_backlog
from streams.normalize.envelope import EnvelopeReader

ROOT = Path(__file__).resolve().parents[2]


def load(*paths: Path) -> list:
    return list(load_backlog(paths, EnvelopeReader(Contracts())))


def test_folder_of_mixed_formats() -> None:
    items = load(ROOT / "samples" / "backlog")
    records = [i for i in items if isinstance(i, RawRecord)]
    assert not [i for i in items if isinstance(i, Refusal)]
    formats = {orjson.loads(r.value).get("format") for r in records}
    assert {"text", "ninjs", "reuters21578"} <= formats
    sgm = [r for r in records if r.key.endswith(("06-wire.sgm#0", "06-wire.sgm#1"))]
    assert len(sgm) == 2  # one .sgm file, two stories, ids path#index


def test_jsonl_lines_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a", "content": "x (Reuters) - y"}\n\n{broken\n{"id": "b"}\n')
    items = load(path)
    assert [type(i).__name__ for i in items] == ["RawRecord", "Refusal", "Refusal"]
    assert items[0].key == "a"
    assert items[1].origin.endswith("feed.jsonl:3") and items[1].rejection.reason == "invalid-json"
    assert items[1].original == b"{broken"
    assert items[2].rejection.reason == "missing-content"


def test_gzip_and_bad_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(b"<html><body><p>x</p></body></html>"))
    (tmp_path / "b.txt").write_bytes(b"caf\xe9 latin-1 text")
    items = load(tmp_path)
    assert orjson.loads(items[0].value)["format"] == "html"
    assert isinstance(items[1], Refusal) and items[1].rejection.reason == "invalid-utf8"
    assert items[1].original == b"caf\xe9 latin-1 text"
