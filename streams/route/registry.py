"""The partner registry: partner definitions validated (schema and meaning), compiled into Partner objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from streams.contracts import Contracts, error_path
from streams.errors import PartnerConfigError
from streams.model import Article
from streams.route.filters import ArticleView, Compiler, FilterError, Predicate, media_topic_parents
from streams.route.schedule import Policy, Window

#: The text credit a partner is licensed for when its definition does not say (the copy this stream carries).
DEFAULT_TEXT_CREDITS = ("Reuters",)

__all__ = ["Partner", "PartnerConfigError", "check_definition", "load_partners", "partner_ids"]


@dataclass(frozen=True, slots=True)
class Partner:
    """One partner outlet, compiled from its definition: filters, rights, format and delivery policy."""

    id: str
    name: str
    format: str = "ninjs"
    predicate: Predicate = field(default=lambda view: True, compare=False, repr=False)
    text_credits: frozenset[str] | None = frozenset(c.lower() for c in DEFAULT_TEXT_CREDITS)  # None: any
    picture_credits: tuple[str, ...] = ()  # lower-case; empty means no pictures at all
    embargo: str = "hold"
    policy: Policy = field(default_factory=Policy)
    definition: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], compiler: Compiler | None = None) -> Partner:
        """Compile a definition that passed the schema; raises PartnerConfigError naming the field."""
        compiler = compiler or Compiler(media_topic_parents())
        rights = data.get("rights") or {}
        delivery = data.get("delivery") or {}
        try:
            predicate = compiler.compile(data.get("filters"))
        except FilterError as exc:
            raise PartnerConfigError(str(exc)) from None
        zone = delivery.get("timezone", "UTC")
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise PartnerConfigError(f"delivery.timezone: {zone!r} is not an IANA time zone") from None
        credits = [c.lower() for c in rights.get("text_credits", DEFAULT_TEXT_CREDITS)]
        rate = delivery.get("rate") or {}
        return cls(
            id=data["id"],
            name=data["name"],
            format=data.get("format", "ninjs"),
            predicate=predicate,
            text_credits=None if "any" in credits else frozenset(credits),
            picture_credits=tuple(c.lower() for c in rights.get("picture_credits", ())),
            embargo=rights.get("embargo", "hold"),
            policy=Policy(
                paused=bool(data.get("paused", False)),
                timezone=zone,
                windows=tuple(Window.parse(w) for w in delivery.get("windows", ())),
                rate_max=rate.get("max"),
                rate_seconds=float(rate.get("per_seconds", 60)),
            ),
            definition=dict(data),
        )

    def licensed(self, view: ArticleView) -> bool:
        """The story's text credit is one this partner may have (a story with no credit never is)."""
        if self.text_credits is None:
            return True
        return bool(view.credits) and view.credits <= self.text_credits

    def wants(self, view: ArticleView) -> bool:
        return self.licensed(view) and self.predicate(view)

    def matches(self, article: Article) -> bool:
        return self.wants(ArticleView(article, media_topic_parents()))

    def may_have_picture(self, association: Mapping[str, Any]) -> bool:
        credit = " ".join(
            str(association.get(k) or "") for k in ("copyrightholder", "by", "copyrightnotice")
        ).lower()
        return any(allowed in credit for allowed in self.picture_credits)


def check_definition(data: Any, contracts: Contracts, where: str = "") -> Partner:
    """Validate one partner definition (schema, then meaning) and compile it. The error names the field:
    `filters.places[0]: 'Russia' does not match '^[A-Z]{2}$'` (prefixed with `where`, e.g. `partners[0].`)."""
    errors = sorted(contracts.partner_one.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        path = error_path(first)
        field_name = f"{where}{path}" if path != "(top level)" else (where.rstrip(".") or path)
        raise PartnerConfigError(f"{field_name}: {first.message}")
    try:
        return Partner.from_mapping(data)
    except PartnerConfigError as exc:
        raise PartnerConfigError(f"{where}{exc}") from None


def load_definition(path: Path) -> Any:
    """One partner from a YAML or JSON file (JSON is YAML); a file that cannot be read raises."""
    try:
        return yaml.safe_load(path.read_text())
    except OSError as exc:
        raise PartnerConfigError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PartnerConfigError(f"not valid YAML or JSON: {exc}") from None


def load_partners(path: Path, contracts: Contracts) -> list[Partner]:
    """Read and validate the registry; a bad file raises PartnerConfigError naming file and field."""
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise PartnerConfigError(f"{path}: cannot read partner registry: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PartnerConfigError(f"{path}: not valid YAML: {exc}") from None
    errors = sorted(contracts.partner.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise PartnerConfigError(f"{path}: {error_path(first)}: {first.message}")
    partners = []
    seen: set[str] = set()
    for index, definition in enumerate(data["partners"]):
        try:
            partner = check_definition(definition, contracts, f"partners[{index}].")
        except PartnerConfigError as exc:
            raise PartnerConfigError(f"{path}: {exc}") from None
        if partner.id in seen:
            raise PartnerConfigError(f"{path}: partners[{index}].id: duplicate partner id {partner.id!r}")
        seen.add(partner.id)
        partners.append(partner)
    return partners


def partner_ids(path: Path, contracts: Contracts) -> list[str]:
    """The ids of the registry's partners (each one is topic partner.<id>)."""
    return [p.id for p in load_partners(path, contracts)]
