"""Validate articles against a JSON Schema (our article schema, IPTC ninjs 2.1/2.2) with no network access.

The ninjs schemas ``$ref`` GeoJSON by URL (for ``places[].geojson``); a ``referencing`` registry
answers that URL with a permissive schema so validation never reaches the network.

``syndicate validate CORPUS... --schema S1 [--schema S2]`` normalises every story in the
given files or directories (format detected, credits any; ``.sgm`` files split into stories) and
validates each article against every schema given (``add_arguments``/``run`` follow the
evaluation plug-in convention); it is the evaluation command for ninjs conformance (the test suite validates against
``schemas/article.schema.json`` only, since the shared ninjs schemas are not part of the project).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from streams.model import Envelope
from streams.normalize.normalizer import Normalizer
from streams.quality.corpora import reuters21578

GEOJSON_URL = "https://geojson.org/schema/GeoJSON.json"
#: Where the project's own article schema lives (a checkout file, not package data).
ARTICLE_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "article.schema.json"


def load_validator(path: Path) -> Draft202012Validator:
    """A draft 2020-12 validator for the schema at ``path``, external GeoJSON refs stubbed out."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    permissive = Resource.from_contents({}, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resources([(GEOJSON_URL, permissive), (GEOJSON_URL + "#", permissive)])
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validation_errors(article: dict[str, Any], validator: Draft202012Validator) -> list[str]:
    """Every schema violation as "path: message" (empty when valid)."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
        for e in sorted(validator.iter_errors(article), key=lambda e: list(map(str, e.absolute_path)))
    ]


def load_xsd(path: Path) -> Any:
    """An XML Schema (lxml) from ``path``, its imports resolved beside it, with no network access (NewsML-G2
    2.35 imports the W3C ``xml.xsd``, which the shared schemas folder holds)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def xml_errors(document: bytes | str, schema: Any) -> list[str]:
    """Every violation of ``schema`` by the XML ``document`` as "line N: message" (empty when valid)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        tree = etree.fromstring(document.encode("utf-8") if isinstance(document, str) else document, parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Plug-in convention: the CLI adds the positional ``corpus`` (story files or directories)."""
    parser.add_argument(
        "--schema", action="append", type=Path, required=True, help="JSON Schema file; repeat for several"
    )
    parser.add_argument("--verbose", action="store_true", help="one line per article and schema")


def _stories(paths: list[Path]) -> Iterator[tuple[str, str]]:
    for path in paths:
        if path.is_dir():
            yield from _stories(sorted(p for p in path.iterdir() if p.suffix in (".sgm", ".txt", ".json", ".xml")))
        elif path.suffix == ".sgm":
            yield from ((f"{path.name}#{s.newid}", s.sgml) for s in reuters21578.stories(path))
        else:
            yield path.name, path.read_text(encoding="utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    """Normalise every story (credits any) and validate each article against every schema."""
    corpus = args.corpus if isinstance(args.corpus, list) else [args.corpus]
    validators = [(p, load_validator(p)) for p in args.schema]
    normalizer = Normalizer(credits=None)
    articles = rejected = failures = 0
    for name, text in _stories([Path(c) for c in corpus]):
        article = normalizer.normalize(Envelope(id=name, content=text))
        if not isinstance(article, dict):
            rejected += 1
            if args.verbose:
                print(f"REJECTED {name}: {article.reason}: {article.detail}")
            continue
        articles += 1
        for schema_path, validator in validators:
            errors = validation_errors(article, validator)
            if args.verbose or errors:
                print(f"{name} vs {schema_path.name}: {'ok' if not errors else f'{len(errors)} errors'}")
            for err in errors[:10]:
                print(f"    {err}")
            failures += bool(errors)
    names = ", ".join(p.name for p, _ in validators)
    print(f"{articles} articles, {rejected} rejected; {failures} article/schema failures against {names}")
    return 1 if failures or not articles else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m streams.quality.validate", description=__doc__)
    ap.add_argument("corpus", nargs="+", help="story files or directories (.sgm, .txt, .json, .xml)")
    add_arguments(ap)
    return run(ap.parse_args(argv))
