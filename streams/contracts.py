"""Loads the JSON Schema contracts in `schemas/` once and validates records against them."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def error_path(error: ValidationError) -> str:
    """`partners[1].filters.places[0]` for a jsonschema error: the field a person has to fix."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class Contracts:
    """The project's schemas, each compiled once. Hold one instance; pass it to whoever validates."""

    def __init__(self, schema_dir: Path = SCHEMA_DIR) -> None:
        self.schema_dir = schema_dir

    def load(self, name: str) -> dict[str, Any]:
        schema: dict[str, Any] = orjson.loads((self.schema_dir / name).read_bytes())
        return schema

    def validator(self, name: str) -> Draft202012Validator:
        schema = self.load(name)
        Draft202012Validator.check_schema(schema)
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    @cached_property
    def envelope(self) -> Draft202012Validator:
        return self.validator("raw_story.schema.json")

    @cached_property
    def partner(self) -> Draft202012Validator:
        return self.validator("partner.schema.json")

    @cached_property
    def partner_one(self) -> Draft202012Validator:
        """One partner definition (an entry of `partners:`), as `syndicate partners add FILE` takes it."""
        registry = self.load("partner.schema.json")
        schema = {"$schema": registry["$schema"], "$defs": registry["$defs"], "$ref": "#/$defs/partner"}
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    @cached_property
    def teaser(self) -> Draft202012Validator:
        return self.validator("teaser.schema.json")

    @cached_property
    def decision(self) -> Draft202012Validator:
        return self.validator("decision.schema.json")

    @cached_property
    def dead_letter(self) -> Draft202012Validator:
        return self.validator("dead_letter.schema.json")
