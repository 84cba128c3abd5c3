"""`streams.quality.corpora`: the evaluations read each corpus once, Reuters-21578 with the product's own reader."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from streams.normalize.formats.reuters21578 import parse_reuters21578, split_stories
from streams.quality.corpora import aeb, conll2003, reuters21578
from streams.quality.corpora.fixtures import load_sources

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "normalize" / "mini.sgm"


def test_the_stories_are_the_products_own() -> None:
    stories = list(reuters21578.stories(MINI))
    assert [(s.newid, s.sgml) for s in stories] == split_stories(MINI.read_text(encoding="latin-1"))
    for story in stories:  # the id the product gives each story is the corpus reader's NEWID
        assert parse_reuters21578(story.sgml).source_id == f"reuters21578:{story.newid}"


def test_files_of_a_folder_and_their_split(tmp_path: Path) -> None:
    for name in ("reut2-000.sgm", "reut2-013.sgm", "notes.txt"):
        (tmp_path / name).write_text("", encoding="latin-1")
    assert [p.name for p in reuters21578.sgm_files(tmp_path)] == ["reut2-000.sgm", "reut2-013.sgm"]
    assert [p.name for p in reuters21578.sgm_files(tmp_path, ["013"])] == ["reut2-013.sgm"]
    assert reuters21578.sgm_files(MINI) == [MINI]
    assert reuters21578.holds_sgm(tmp_path) and not reuters21578.holds_sgm(MINI)
    assert "000" in reuters21578.DEV_FILES and "013" in reuters21578.HELD_OUT_FILES
    assert not reuters21578.DEV_FILES & reuters21578.HELD_OUT_FILES


def test_gold_labels_are_mapped_and_never_in_the_views() -> None:
    first = next(iter(reuters21578.stories(MINI))).sgml
    assert reuters21578.gold_places(first) == {"CA"}
    assert reuters21578.gold_topics(first) == {"20000210"}  # grain and wheat: one Media Topic
    article = reuters21578.tagger_article(first)
    assert "canada" not in str(article).lower() and "places" not in article
    assert article["located"] == "WINNIPEG"
    assert article["headlines"][0]["value"] == "PRAIRIE WHEAT STOCKS <PWS> SEEN LOWER"


def test_the_dedupe_view_skips_stories_without_a_body() -> None:
    sources = reuters21578.read_sources(MINI)
    assert [s.id for s in sources] == ["r101", "r104"]  # 102 is a brief, 103 unprocessed: no BODY
    assert sources[0].when == datetime(1987, 3, 3, 10, 15, 22, tzinfo=UTC)
    assert sources[0].paragraphs[-1] == "Exporters said sales to Asian buyers > last year's pace."  # no signoff


def test_story_time() -> None:
    assert reuters21578.story_time(" 3-MAR-1987 10:15:22.41&#31;x") == datetime(1987, 3, 3, 10, 15, 22, tzinfo=UTC)
    assert reuters21578.story_time("31-FEB-1987 10:15:22") is None
    assert reuters21578.story_time("") is None


def test_conll_documents_and_gold() -> None:
    docs = list(conll2003.conll_docs(FIXTURES / "tagging" / "conll_sample.txt"))
    assert docs and all(doc and all(sent for sent in doc) for doc in docs)
    gold = conll2003.conll_gold(docs[0])
    assert set(gold) == set(conll2003.CONLL_TYPES)
    assert conll2003.is_dev(Path("valid.txt")) and not conll2003.is_dev(Path("train.txt"))


def test_aeb_pages_and_fixture_sources(tmp_path: Path) -> None:
    pages = aeb.load_pages(FIXTURES / "html")
    assert pages and all(isinstance(p, str) for p in pages)
    assert not aeb.has_ground_truth(tmp_path)
    sources = load_sources(str(FIXTURES / "dedupe" / "stories.json"))
    assert sources and all(s.paragraphs for s in sources)
