"""The partner registry: partners, their filters, formats and picture rights, read and validated from YAML."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from streams.contracts import Contracts, error_path
from streams.errors import PartnerConfigError
from streams.model import Article

__all__ = ["Partner", "PartnerConfigError", "load_partners", "partner_ids"]


@dataclass(frozen=True, slots=True)
class Partner:
    """One partner outlet: its filters (AND across fields, OR within one), format and picture rights."""

    id: str
    name: str
    format: str = "ninjs"
    subjects: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()  # canonical names or uris, compared case-insensitively
    organisations: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    picture_credits: tuple[str, ...] = ()  # lower-case; empty means no pictures at all

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Partner:
        filters = data.get("filters") or {}
        rights = data.get("rights") or {}

        def lowered(key: str) -> frozenset[str]:
            return frozenset(v.lower() for v in filters.get(key, ()))

        return cls(
            id=data["id"],
            name=data["name"],
            format=data.get("format", "ninjs"),
            subjects=frozenset(filters.get("subjects", ())),
            places=frozenset(filters.get("places", ())),
            people=lowered("people"),
            organisations=lowered("organisations"),
            languages=lowered("languages"),
            picture_credits=tuple(c.lower() for c in rights.get("picture_credits", ())),
        )

    def matches(self, article: Article) -> bool:
        if self.subjects and not self.subjects & _codes(article.get("subjects", ()), "literal"):
            return False
        if self.places and not self.places & _codes(article.get("places", ()), "literal"):
            return False
        if self.people and not self.people & _names(article.get("people", ())):
            return False
        if self.organisations and not self.organisations & _names(article.get("organisations", ())):
            return False
        return not (self.languages and (article.get("language") or "").lower()[:2] not in {
            lang[:2] for lang in self.languages
        })

    def render(self, article: Article) -> Article:
        """The article in this partner's form, within its rights. Returns a new dict."""
        out = dict(article)
        if self.format == "ninjs-text":
            out["bodies"] = [b for b in article.get("bodies", ()) if b.get("contenttype") != "text/html"]
        pictures = [a for a in article.get("associations", ()) if self._may_have_picture(a)]
        if pictures:
            out["associations"] = pictures
        else:
            out.pop("associations", None)
        return out

    def _may_have_picture(self, association: Mapping[str, Any]) -> bool:
        credit = " ".join(
            str(association.get(k) or "") for k in ("copyrightholder", "by", "copyrightnotice")
        ).lower()
        return any(allowed in credit for allowed in self.picture_credits)


def _codes(items: Sequence[Mapping[str, Any]], key: str) -> set[str]:
    return {str(i[key]) for i in items if i.get(key) and i.get("rel") != "author"}


def _names(items: Sequence[Mapping[str, Any]]) -> set[str]:
    names: set[str] = set()
    for item in items:
        if item.get("rel") == "author":
            continue  # a partner following a person wants stories about them, not by them
        names.update(str(item[k]).lower() for k in ("name", "uri") if item.get(k))
    return names


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
    partners = [Partner.from_mapping(p) for p in data["partners"]]
    seen: set[str] = set()
    for index, partner in enumerate(partners):
        if partner.id in seen:
            raise PartnerConfigError(f"{path}: partners[{index}].id: duplicate partner id {partner.id!r}")
        seen.add(partner.id)
    return partners


def partner_ids(path: Path, contracts: Contracts) -> list[str]:
    """The ids of the registry's partners (each one is topic partner.<id>)."""
    return [p.id for p in load_partners(path, contracts)]
