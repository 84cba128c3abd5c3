"""The documentation holds together: README.md is a short front door that starts with the two commands, and
every relative link in README.md and docs/*.md reaches an existing file (and, with an anchor, a heading in it).

The figures, the settings table and the partner examples are held where they live by their own tests
(tests/quality/test_corpus_gate.py, tests/test_settings.py, tests/kafka/test_secure.py, tests/test_compose.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
MAX_README_LINES = 250

_FENCE = re.compile(r"^```.*?^```[^\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text: str) -> str:
    """The text without fenced code blocks and code spans (a link there is an example, not a link)."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", text))


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file (a repeated heading gets -1, -2, ... as on GitHub)."""
    seen: dict[str, int] = {}
    found = set()
    for line in _FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"#{1,6} (.+)", line)
        if heading is None:
            continue
        slug = _slug(heading.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    """The links of a Markdown file that point into the repository (not http(s), mailto or a bare anchor)."""
    links = _LINK.findall(_prose(path.read_text(encoding="utf-8")))
    return [link for link in links if not re.match(r"[a-z]+:", link)]


def _shown(file: Path) -> Path:
    return file.relative_to(ROOT) if file.is_relative_to(ROOT) else file


def broken_links(path: Path) -> list[str]:
    """Each relative link of `path` whose file does not exist, or whose anchor names no heading of that file."""
    broken = []
    for link in relative_links(path):
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path.resolve()
        if not file.exists():
            broken.append(f"{link}: no such file {_shown(file)}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{link}: no heading #{anchor} in {_shown(file)}")
    return broken


def test_there_are_docs_to_check() -> None:
    names = {path.name for path in DOCS}
    assert {"architecture.md", "partners.md", "operating.md", "settings.md", "testing.md", "quality.md",
            "benchmarks.md", "dedupe.md"} <= names, names


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    assert broken_links(path) == []


def test_the_readme_links_every_doc() -> None:
    linked = {(README.parent / link.partition("#")[0]).resolve() for link in relative_links(README)}
    assert {path.resolve() for path in DOCS} <= linked, [p.name for p in DOCS if p.resolve() not in linked]


def test_the_readme_is_a_short_front_door() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    body = [line for line in lines[1:] if line.strip()]
    assert body[0] == "```sh", body[:3]
    block = body[1 : body.index("```", 1)]
    commands = [line.split("#", 1)[0].strip() for line in block if not line.startswith(" ")]
    assert commands == ["make demo", "make test"], block


def _flow_picture(text: str) -> str:
    section = text[text.index("## The flow") :]
    return section[section.index("```") : section.index("```", section.index("```") + 3) + 3]


def test_the_readme_shows_the_flow_architecture_md_describes() -> None:
    """The flow picture is in both (tests/test_compose.py holds the one in docs/architecture.md to the code)."""
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert _flow_picture(README.read_text(encoding="utf-8")) == _flow_picture(architecture)


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# A heading, with `code`\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("[ok](there.md) [ok](there.md#a-heading-with-code) [web](https://example.org/x)\n"
                    "[gone](missing.md) [no anchor](there.md#nope) `[in code](nowhere.md)`\n"
                    "```\n[in a block](nowhere.md)\n```\n", encoding="utf-8")
    where = tmp_path.resolve()
    assert broken_links(page) == [f"missing.md: no such file {where / 'missing.md'}",
                                  f"there.md#nope: no heading #nope in {where / 'there.md'}"]
