"""Hostile inputs for wire.raw: each kind built to break a reader, a parser or one of our regular expressions.

Every input here must end as a dead letter (with its reason and its bytes) and must not hold a worker for
more than the per-input budget. None carries a credit the pipeline accepts, so none may become a story.
`nastiest()` is the fixed set the CI tests feed through the pure pipeline; `flood()` draws the 100,000 of
`syndicate bench flood` from the same makers with a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson

#: Size of the "5 MB" inputs: the default SYNDICATE_MAX_INPUT_BYTES.
FIVE_MB = 5_000_000
_PROSE = ("the minister said on tuesday that talks would resume next week after a pause in the negotiations "
          "over the border and the price of grain ")
_CONTROL = "".join(map(chr, range(0, 32))) + "\x7f\u2028\u2029\ufeff\u202e\u200b\u0085"


@dataclass(frozen=True, slots=True)
class Hostile:
    """One hostile wire.raw record: what it is (`kind`, `variant`), its key and its bytes."""

    kind: str
    variant: str
    key: str
    value: bytes


def _envelope(key: str, content: object, fmt: object = None, **extra: object) -> bytes:
    env: dict[str, object] = {"id": key, "content": content}
    if fmt is not None:
        env["format"] = fmt
    env.update(extra)
    return orjson.dumps(env)


def _random_bytes(rng: random.Random, key: str) -> tuple[str, bytes]:
    return "random", rng.randbytes(rng.randint(1, 4096))


def _invalid_utf8(rng: random.Random, key: str) -> tuple[str, bytes]:
    bad = rng.choice([b"\xe9", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"])
    head = f'{{"id": "{key}", "content": "{_PROSE[: rng.randint(0, 80)]}'.encode()
    return f"byte {bad!r}", head + bad + b' more text"}'


def _deep_json(rng: random.Random, key: str) -> tuple[str, bytes]:
    depth = 10_000
    if rng.random() < 0.5:
        nested = b"[" * depth + b"]" * depth
        return "envelope nested 10,000 deep", b'{"id":"' + key.encode() + b'","content":' + nested + b"}"
    inner = '{"headlines":' * depth + "1" + "}" * depth
    return "ninjs nested 10,000 deep", _envelope(key, inner, "ninjs")


def _huge(rng: random.Random, key: str) -> tuple[str, bytes]:
    if rng.random() < 0.5:
        return "5 MB content, over the limit", _envelope(key, "A" * FIVE_MB)
    room = FIVE_MB - 200 - len(key)
    text = (_PROSE * (room // len(_PROSE) + 1))[:room]
    return "5 MB of prose without a credit, under the limit", _envelope(key, text, "text")


def _wrong_types(rng: random.Random, key: str) -> tuple[str, bytes]:
    field, value = rng.choice([
        ("id", 1), ("id", 1.5), ("id", []), ("id", {}), ("id", None), ("id", True), ("id", ""),
        ("content", 1), ("content", []), ("content", {"a": 1}), ("content", None), ("content", False),
        ("format", 1), ("format", []), ("format", "klingon"), ("received_at", "yesterday"),
        ("received_at", 1e300), ("received_at", []), ("received_at", "2017-13-45T99:99:99Z"),
        ("source", 1), ("source", []), ("extra", "field"),
        ("envelope", []), ("envelope", "a string"), ("envelope", 1), ("envelope", None),
    ])
    if field == "envelope":
        return f"envelope is {type(value).__name__}", orjson.dumps(value)
    env: dict[str, object] = {"id": key, "content": "MOSCOW - The Kremlin said on Tuesday it was ready to talk."}
    env[field] = value
    return f"{field} = {value!r}"[:60], orjson.dumps(env)


def _nested_html(rng: random.Random, key: str) -> tuple[str, bytes]:
    n = 100_000
    tag, page = rng.choice([
        ("div", "<div>" * n + "x" + "</div>" * n),
        ("unclosed div", "<html><body>" + "<div>" * n + "x"),
        ("b i", "<b><i>" * (n // 2) + "x"),
        ("unclosed p", "<p>" * n + "x"),
        ("table", "<table><tr><td>" * (n // 3) + "x"),
    ])
    return f"100,000 nested {tag} tags", _envelope(key, f"<html><head><title>t</title></head><body>{page}", "html")


def _unclosed_sgml(rng: random.Random, key: str) -> tuple[str, bytes]:
    body = rng.choice([
        '<REUTERS NEWID="1"><DATE>17-MAR-1987 10:12:31.44<TEXT><TITLE>OIL<BODY>Saudi output steady.',
        '<REUTERS NEWID="1"><TEXT><BODY>' + "<D>" * 5000 + "crude",
        '<!DOCTYPE lewis SYSTEM "lewis.dtd">' + '<REUTERS NEWID="2">' * 2000,
        '<REUTERS NEWID="3"><DATE>32-XXX-99999 99:99:99</DATE><TEXT><TITLE>' + "&#999999999;" * 200 + "</TITLE>",
        '<REUTERS NEWID="4"><TEXT TYPE="UNPROC">' + "\n" * 50_000,
    ])
    fmt = "reuters21578" if rng.random() < 0.7 else None
    return "unclosed SGML", _envelope(key, body, fmt)


def _control_chars(rng: random.Random, key: str) -> tuple[str, bytes]:
    text = "".join(rng.choice(_CONTROL) for _ in range(rng.randint(1, 3000)))
    if rng.random() < 0.5:
        text = text + " " + _PROSE[:100] + text
    return "control characters", _envelope(key, text, rng.choice([None, "text", "html", "ninjs", "newsml"]))


def _backtrack(rng: random.Random, key: str) -> tuple[str, bytes]:
    """Inputs built for our own regular expressions (see the note of issue 13 for the list)."""
    which = rng.choice(["newsml-xmlns", "sgml-signoff"])
    if which == "newsml-xmlns":
        # normalize/formats/newsml.py strips namespaces with \s+xmlns...: quadratic on a run of whitespace
        return "newsml whitespace run (\\s+xmlns)", _newsml_whitespace(key, 100_000)
    return "Reuter and 60 dots (the old signoff pattern)", signoff_backtracking_input(key).value


def _newsml_whitespace(key: str, n: int) -> bytes:
    space = "\u00a0" * n
    item = (f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>{space}</headline>'
            f"</contentMeta><contentSet><inlineXML><p>{space}</p></inlineXML></contentSet></newsItem>")
    return _envelope(key, item, "newsml")


def _xml_bomb(rng: random.Random, key: str) -> tuple[str, bytes]:
    if rng.random() < 0.5:
        entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        doc = (f'<?xml version="1.0"?><!DOCTYPE newsItem [{entities}]>'
               '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>&j;</headline>'
               "</contentMeta></newsItem>")
        return "billion laughs", _envelope(key, doc, "newsml")
    depth = 100_000
    doc = '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">' + "<x>" * depth + "</x>" * depth + "</newsItem>"
    return "XML nested 100,000 deep", _envelope(key, doc, "newsml")


def _ninjs_wrong_types(rng: random.Random, key: str) -> tuple[str, bytes]:
    item = rng.choice([
        {"uri": [], "headlines": "not a list", "bodies": 5},
        {"uri": "u", "headlines": [{"value": 1}], "bodies": [{"value": None}]},
        {"uri": "u", "versioncreated": "never", "firstcreated": [], "bodies": [{"contenttype": 7, "value": []}]},
        {"uri": "u", "headlines": [None, 1, "x"], "by": {"a": 1}, "located": 3, "language": ["en"]},
        [1, 2, 3],
        "just a string",
    ])
    return "ninjs with wrong types", _envelope(key, orjson.dumps(item).decode(), "ninjs")


def _empty(rng: random.Random, key: str) -> tuple[str, bytes]:
    value = rng.choice([b"", b"{}", b"   \n\t ", b"null", _envelope(key, ""), _envelope(key, " \n\t\u00a0 " * 100)])
    return "empty", value


#: kind -> maker(rng, key) -> (variant, bytes)
MAKERS: dict[str, Callable[[random.Random, str], tuple[str, bytes]]] = {
    "random-bytes": _random_bytes,
    "invalid-utf8": _invalid_utf8,
    "deep-json": _deep_json,
    "huge": _huge,
    "wrong-types": _wrong_types,
    "nested-html": _nested_html,
    "unclosed-sgml": _unclosed_sgml,
    "control-chars": _control_chars,
    "backtrack": _backtrack,
    "xml-bomb": _xml_bomb,
    "ninjs-wrong-types": _ninjs_wrong_types,
    "empty": _empty,
}

#: Kinds that cost a worker much more than a story (megabytes to read, or a stage stopped by the budget):
#: `flood` draws them at most `heavy` times each, so a 100,000-input flood stays minutes long.
HEAVY = ("huge", "nested-html", "backtrack", "xml-bomb")


def make(kind: str, n: int, seed: int = 0) -> Hostile:
    """The n-th input of `kind` (deterministic for a seed)."""
    rng = random.Random(f"{seed}:{kind}:{n}")
    key = f"hostile-{kind}-{n}"
    variant, value = MAKERS[kind](rng, key)
    return Hostile(kind, variant, key, value)


def nastiest() -> list[Hostile]:
    """The fixed CI set: two of each kind (three where the variants differ most), deterministic."""
    return [make(kind, n) for kind in MAKERS for n in range(3 if kind in ("wrong-types", "deep-json") else 2)]


def signoff_backtracking_input(key: str = "hostile-signoff") -> Hostile:
    """A Reuters-21578 story whose last paragraph is "Reuter", 60 dots and a letter. The signoff pattern the
    reader had until issue 13 backtracked exponentially on it (22 dots took 2.5 s; 60 would take years); the
    fixed one reads it in microseconds. Kept as a guard, and as the regex input the budget is shown on."""
    story = ('<REUTERS NEWID="1"><DATE>17-MAR-1987 10:12:31.44</DATE><TEXT><TITLE>OIL STEADY</TITLE>'
             "<BODY>Saudi output steady.\n Reuter" + "." * 60 + "x</BODY></TEXT></REUTERS>")
    return Hostile("backtrack", "Reuter and 60 dots", key, _envelope(key, story, "reuters21578"))


def flood(count: int, seed: int = 0, heavy: int = 50) -> Iterator[Hostile]:
    """`count` hostile inputs, kinds drawn with a seed: each heavy kind `heavy` times (at random places, at most
    a tenth of `count` each), the rest light kinds."""
    rng = random.Random(seed)
    light = [k for k in MAKERS if k not in HEAVY]
    per_kind = min(heavy, count // 10)
    places = rng.sample(range(count), per_kind * len(HEAVY)) if count else []
    heavy_at = {place: HEAVY[i // per_kind] for i, place in enumerate(places)} if per_kind else {}
    for n in range(count):
        kind = heavy_at.get(n) or rng.choice(light)
        yield make(kind, n, seed)
