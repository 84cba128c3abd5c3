"""Issue 9, case 3 on the real broker: an old backlog replayed into a worker that has seen newer stories is decided
among itself exactly as `syndicate process` decides it with fresh state."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.contracts import Contracts
from streams.kafka import topics
from streams.normalize.backlog import RawRecord, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.offline import run_offline
from streams.quality.evaluate.dedupe import OUTLETS, Source, load_sources, page_text
from streams.settings import Settings
from streams.testing.harness import Stack, produce

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "backlog"
NEWER = ["01-northgate-kremlin-baltic.txt", "02-coastline-rates.txt", "03-ninjs-tokyo-trade.json",
         "04-northgate-kremlin-baltic-resend.txt"]  # dated March 2017


def in_1987(src: Source) -> Source:
    return Source(src.id, src.headline, src.paragraphs, src.when.replace(year=1987))


def sgml(stories: list[Source]) -> str:
    """The stories as a Reuters-21578 file (what the archive replay sends)."""
    out = ['<!DOCTYPE lewis SYSTEM "lewis.dtd">']
    for n, s in enumerate(stories, start=95001):
        body = "\n    ".join(s.paragraphs)
        out.append(f'<REUTERS TOPICS="NO" NEWID="{n}">\n<DATE>{s.when:%d-%b-%Y %H:%M:%S}.00</DATE>\n<TEXT>&#2;\n'
                   f"<TITLE>{s.headline}</TITLE>\n<DATELINE>    LONDON, {s.when:%B %d} - </DATELINE><BODY>{body}\n"
                   " Reuter\n&#3;</BODY></TEXT>\n</REUTERS>")
    return "\n".join(out) + "\n"


def old_backlog(folder: Path) -> list[Path]:
    """The dedupe fixtures' invented stories dated 1987 as one archive file, then newspaper pages republishing six
    of them (pages that are copies, to be decided duplicates)."""
    stories = [in_1987(s) for s in load_sources(str(ROOT / "tests" / "fixtures" / "dedupe" / "stories.json"))]
    archive = folder / "archive-1987.sgm"
    archive.write_text(sgml(stories), encoding="latin-1")
    rng = random.Random(9)
    paths = [archive]
    for s in rng.sample([s for s in stories if len(" ".join(s.paragraphs).split()) > 40], 6):
        outlet, plea = rng.choice(OUTLETS)
        page = folder / f"page-{s.id}.txt"
        page.write_text(page_text(outlet, plea, s.headline.capitalize(), [*s.paragraphs, plea], s.when))
        paths.append(page)
    return paths


def records(paths: list[Path]) -> list[RawRecord]:
    got = list(load_backlog(paths, EnvelopeReader(Contracts())))
    assert all(isinstance(r, RawRecord) for r in got)
    return got  # type: ignore[return-value]


def test_an_old_backlog_replayed_into_a_running_worker_is_decided_as_offline(bootstrap: str, tmp_path: Path) -> None:
    stack = Stack(bootstrap, tmp_path / "stack")
    stack.create_topics()
    try:
        stack.start_worker("w1")
        newer = records([SAMPLES / name for name in NEWER])
        produce(bootstrap, stack.topic(topics.RAW), [(r.key.encode(), r.value, None) for r in newer])
        seen = stack.decisions_for({r.key for r in newer})
        assert sorted(d["decision"] for d in seen) == ["duplicate", "new", "new", "new"], stack.logs()

        old = records(old_backlog(tmp_path))
        # one partition: the worker decides them in the order they were sent, the order `syndicate process` reads
        produce(bootstrap, stack.topic(topics.RAW), [(r.key.encode(), r.value, 0) for r in old])
        old_ids = {r.key for r in old}
        on_kafka = {d["input_id"]: d for d in stack.decisions_for(old_ids) if d["input_id"] in old_ids}
    finally:
        stack.stop_all()

    out = tmp_path / "offline"
    run_offline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}),
                old_backlog(tmp_path), out)
    offline = {d["input_id"]: d for d in map(orjson.loads, (out / "decisions.jsonl").read_bytes().splitlines())}

    def view(d: dict) -> tuple:
        return d["decision"], d["uri"], d["version"], d.get("evidence", {}).get("matched")

    assert set(on_kafka) == set(offline) == {r.key for r in old}
    assert {k: view(d) for k, d in on_kafka.items()} == {k: view(d) for k, d in offline.items()}
    pages = [k for k in offline if "/page-" in k]
    assert len(pages) == 6 and all(offline[k]["decision"] == "duplicate" for k in pages), [offline[k] for k in pages]
    # nothing of 1987 was compared away: every page matched a story of its own backlog, received minutes ago
    archive_uris = {d["uri"] for k, d in offline.items() if "#" in k}
    assert all(offline[k]["uri"] in archive_uris for k in pages)
    assert datetime.now(UTC).year > 1987
