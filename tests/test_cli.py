"""The `syndicate` command line: offline commands end to end, and ingest/tail against the real broker."""

from __future__ import annotations

import argparse
import inspect
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from streams import cli
from streams.settings import Settings
from streams.watch.view import render

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "backlog"


def syndicate(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], input=stdin, capture_output=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_every_command_is_a_module_with_the_same_shape() -> None:
    """Each operator and worker command is streams/commands/<name>.py with a one-line HELP,
    `add_arguments(parser: ArgumentParser) -> None` and `run(settings: Settings, args: Namespace) -> int`."""
    commands = ROOT / "streams" / "commands"
    for name, module_name in cli.COMMANDS.items():
        assert module_name == f"streams.commands.{name}" and (commands / f"{name}.py").is_file(), name
        module = cli.command(name)
        assert isinstance(module.HELP, str) and module.HELP and "\n" not in module.HELP, name
        add = inspect.signature(module.add_arguments, eval_str=True)
        assert [(p.name, p.annotation) for p in add.parameters.values()] == [
            ("parser", argparse.ArgumentParser)], name
        assert add.return_annotation is None, name
        run = inspect.signature(module.run, eval_str=True)
        assert [(p.name, p.annotation) for p in run.parameters.values()] == [
            ("settings", Settings), ("args", argparse.Namespace)], name
        assert run.return_annotation is int, name


def test_the_parser_has_every_command() -> None:
    sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == [*cli.COMMANDS, "eval", "validate", "bench"]
    for name in cli.COMMANDS:
        assert sub.choices[name].get_default("func") is not None, name


def test_normalize_prints_one_line_per_story_in_input_order() -> None:
    out = syndicate("normalize", str(SAMPLES))
    assert out.returncode == 0, out.stderr
    lines = [orjson.loads(line) for line in out.stdout.splitlines()]
    ids = [line["input_id"] for line in lines]
    assert ids == sorted(ids)  # files in order; the .sgm's stories as path#0, path#1
    assert ids[-2:] == [f"{SAMPLES}/06-wire.sgm#0", f"{SAMPLES}/06-wire.sgm#1"]
    rejected = [line for line in lines if "rejected" in line]
    assert [r["rejected"]["reason"] for r in rejected] == ["no-reuters-credit"]
    assert all("article" in line for line in lines if "rejected" not in line)


def test_normalize_from_stdin_with_a_forced_format_and_credits_any() -> None:
    text = (SAMPLES / "05-not-reuters.txt").read_bytes()
    out = syndicate("normalize", "-", "--format", "text", "--credits", "any", stdin=text)
    (line,) = [orjson.loads(x) for x in out.stdout.splitlines()]
    assert line["input_id"] == "-"
    assert line["article"]["headlines"][0]["value"].startswith("Local council approves")
    out = syndicate("normalize", "-", "--format", "text", stdin=text)
    assert orjson.loads(out.stdout)["rejected"]["reason"] == "no-reuters-credit"


def test_process_writes_every_output_file(tmp_path: Path) -> None:
    out = syndicate("process", str(SAMPLES), "--out", str(tmp_path / "o"))
    assert out.returncode == 0, out.stderr
    o = tmp_path / "o"
    decisions = [orjson.loads(x) for x in (o / "decisions.jsonl").read_bytes().splitlines()]
    assert len(decisions) == 7
    assert sorted(d["decision"] for d in decisions).count("duplicate") == 1
    letters = [orjson.loads(x) for x in (o / "dead-letter.jsonl").read_bytes().splitlines()]
    assert [x["reason"] for x in letters] == ["no-reuters-credit"]
    partners = {p.stem: len(p.read_bytes().splitlines()) for p in (o / "partners").iterdir()}
    assert set(partners) == {"kremlin-watch", "baltic-desk", "markets-wire", "world-politics"}
    assert partners["kremlin-watch"] == 1


def test_a_bad_partner_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("partners:\n  - id: x\n    name: X\n    filters: {places: [Russia]}\n")
    out = syndicate("process", str(SAMPLES), "--out", str(tmp_path / "o"), "--partners", str(bad))
    assert out.returncode == 2
    assert f"{bad}: partners[0].filters.places[0]" in out.stderr.decode()
    assert b"Traceback" not in out.stderr


def test_render_lines() -> None:
    assert render({"decision": "duplicate", "uri": "u1", "version": 1, "reason": "same text",
                        "input_id": "i"}).startswith("[i] duplicate  u1 v1")
    article = {"uri": "u", "version": "2", "pubstatus": "canceled", "headlines": [{"value": "H"}],
               "places": [{"literal": "RU"}], "people": [{"name": "A", "rel": "author"}, {"name": "B"}]}
    assert render(article) == "u v2 CANCELED | H | B, RU"
    assert render({"input_id": "x", "original_b64": "", "stage": "envelope", "reason": "invalid-json",
                        "detail": "d"}).startswith("DEAD x envelope:invalid-json")


@pytest.mark.broker
def test_ingest_sends_and_refuses_with_reasons_and_tail_reads_back(bootstrap: str, unique: str,
                                                                   tmp_path: Path) -> None:
    env = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "SYNDICATE_TOPIC_PREFIX": f"cli{unique}."}
    assert syndicate("topics", env=env).returncode == 0
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"id": "a", "content": "x (Reuters) - y"}\n{oops\n')
    out = syndicate("ingest", str(SAMPLES / "01-northgate-kremlin-baltic.txt"), str(feed), env=env)
    assert out.returncode == 2  # something was refused
    assert b"sent 2 to cli" in out.stdout and b"refused 1 (1 invalid-json)" in out.stdout
    assert b"feed.jsonl:2: invalid-json" in out.stderr
    tail = syndicate("tail", "--json", "--from-beginning", "--max", "2", "--idle", "10", "wire.raw",
                     env=env)
    ids = sorted(orjson.loads(x)["id"] for x in tail.stdout.splitlines())
    assert ids == sorted(["a", str(SAMPLES / "01-northgate-kremlin-baltic.txt")])


def test_validate_normalises_and_checks_every_article_against_the_schemas() -> None:
    out = syndicate("validate", str(ROOT / "tests" / "fixtures" / "normalize"), "--schema",
                    str(ROOT / "schemas" / "article.schema.json"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert b" 0 article/schema failures" in out.stdout
