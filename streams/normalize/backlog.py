"""Reads backlog files and folders into wire.raw records (key, envelope bytes), or refusals with a reason."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from streams.contracts import Contracts
from streams.model import Envelope, Reason, Rejection
from streams.normalize.envelope import EnvelopeReader, envelope_bytes
from streams.normalize.formats.reuters21578 import split_stories

#: File suffix -> the envelope format it declares (None: let the normaliser detect it).
SUFFIX_FORMATS: dict[str, str | None] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "ninjs",
    ".xml": "newsml",
    ".sgm": "reuters21578",
}


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One message for wire.raw: key = input id, value = the envelope's JSON bytes."""

    key: str
    value: bytes
    origin: str  # path, or path:line for .jsonl


@dataclass(frozen=True, slots=True)
class Refusal:
    """An input that could not even become an envelope (unreadable file, bad .jsonl line)."""

    origin: str
    rejection: Rejection
    original: bytes


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def _suffix(path: Path) -> tuple[str, bool]:
    suffixes = path.suffixes
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return path.suffix, False


def load_backlog(paths: Iterable[Path], reader: EnvelopeReader) -> Iterator[RawRecord | Refusal]:
    """Every story in `paths`, in order: `.jsonl` lines are envelopes, `.sgm` files hold many stories,
    any other file is one story whose input id is its path (`path#index` for stories of an `.sgm`)."""
    for path in iter_files(paths):
        origin = str(path)
        try:
            data = path.read_bytes()
            suffix, gz = _suffix(path)
            if gz:
                data = gzip.decompress(data)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            yield Refusal(origin, Rejection(Reason.UNREADABLE, f"{type(exc).__name__}: {exc}"), b"")
            continue
        if suffix == ".jsonl":
            yield from _jsonl(origin, data, reader)
        elif suffix == ".sgm":
            yield from _sgm(origin, data)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Refusal(origin, Rejection(Reason.INVALID_UTF8, f"not UTF-8 at byte {exc.start}"), data)
                continue
            env = Envelope(id=origin, content=text, format=SUFFIX_FORMATS.get(suffix), source=origin)
            yield RawRecord(origin, envelope_bytes(env), origin)


def _jsonl(origin: str, data: bytes, reader: EnvelopeReader) -> Iterator[RawRecord | Refusal]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        parsed = reader.read(line)
        if isinstance(parsed, Rejection):
            yield Refusal(where, parsed, line)
        else:
            yield RawRecord(parsed.id, envelope_bytes(parsed), where)


def _sgm(origin: str, data: bytes) -> Iterator[RawRecord | Refusal]:
    text = data.decode("latin-1")  # the Reuters-21578 files are latin-1 (one byte is not valid UTF-8)
    for index, (_story_id, sgml) in enumerate(split_stories(text)):
        input_id = f"{origin}#{index}"
        env = Envelope(id=input_id, content=sgml, format="reuters21578", source=origin)
        yield RawRecord(input_id, envelope_bytes(env), input_id)


def read_backlog(paths: Sequence[Path], max_input_bytes: int) -> tuple[list[RawRecord], list[Refusal]]:
    """Every story in `paths` as a wire.raw record, and the inputs refused before they could be sent."""
    reader = EnvelopeReader(Contracts(), max_input_bytes)
    good: list[RawRecord] = []
    refused: list[Refusal] = []
    for item in load_backlog(paths, reader):
        if isinstance(item, Refusal):
            refused.append(item)
        else:
            good.append(item)
    return good, refused
