"""Validate articles against a JSON Schema (our article schema, IPTC ninjs 2.1/2.2) with no network access.

The ninjs schemas ``$ref`` GeoJSON by URL (for ``places[].geojson``); a ``referencing`` registry
answers that URL with a permissive schema so validation never reaches the network.

``python -m streams.validate SCHEMA [SCHEMA ...] --input FILE [FILE ...]`` normalises each input
file (format detected, credits any) and validates the article against every schema given; it is
the evaluation command for ninjs conformance (the test suite validates against
``schemas/article.schema.json`` only, since the shared ninjs schemas are not part of the project).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

GEOJSON_URL = "https://geojson.org/schema/GeoJSON.json"
#: Where the project's own article schema lives (a checkout file, not package data).
ARTICLE_SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "article.schema.json"


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


def main(argv: list[str] | None = None) -> int:
    from streams.model import Envelope
    from streams.normalize import Normalizer

    ap = argparse.ArgumentParser(prog="python -m streams.validate", description=__doc__)
    ap.add_argument("schemas", nargs="+", type=Path, help="JSON Schema files (e.g. ninjs-schema_2.1.json)")
    ap.add_argument("--input", nargs="+", type=Path, required=True, help="story files to normalise")
    args = ap.parse_args(argv)
    validators = [(p, load_validator(p)) for p in args.schemas]
    normalizer = Normalizer(credits=None)
    failures = 0
    for path in args.input:
        content = path.read_text(encoding="latin-1" if path.suffix == ".sgm" else "utf-8")
        if path.suffix == ".sgm":
            from streams.formats.reuters21578 import split_stories

            items = [(f"{path.name}#{sid}", sgml) for sid, sgml in split_stories(content)]
        else:
            items = [(path.name, content)]
        for name, text in items:
            article = normalizer.normalize(Envelope(id=name, content=text))
            if not isinstance(article, dict):
                print(f"REJECTED {name}: {article.reason}: {article.detail}")
                continue
            for schema_path, validator in validators:
                errors = validation_errors(article, validator)
                status = "ok" if not errors else f"{len(errors)} errors"
                print(f"{name} vs {schema_path.name}: {status}")
                for err in errors[:10]:
                    print(f"    {err}")
                failures += bool(errors)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
