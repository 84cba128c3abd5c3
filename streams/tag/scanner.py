"""Scanner: story text matched against the gazetteer and demonyms; capitalised runs it does not know go to the rules."""

from __future__ import annotations

import re

import ahocorasick

from streams.tag.entities import CONNECTORS, STOPWORDS, STRONG_ORG_SUFFIXES, TITLE_WORDS, EntityRules
from streams.tag.evidence import Mention
from streams.tag.gazetteer import Entity, slug, words

ABBREV = words("Corp. Inc. Co. Ltd. Mr. Mrs. Ms. Dr. St. Gen. Jr. Sr. Bros. Gov. Sen. Rep. Col. Lt. Mt.")

_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’&\-]*\.?)"
_CONNECTOR = r"(?:of|de|du|la|le|van|von|der|den|del|da|di|for|and|al|bin|y|&|on)"
#: A run of capitalised words (with connectors between them). It starts with a literal character
#: class and checks the preceding character after it, which lets the regex engine skip ahead fast.
RUN_RE = re.compile(
    rf"[A-Z](?<![\w&][A-Z])(?:\.(?:[A-Z]\.)+|[\w'’&\-]*\.?)(?:{_GAP}(?:{_CONNECTOR}{_GAP})?{_WORD})*"
)
TOKEN_RE = re.compile(r"\S+")
_LOWER_RE = re.compile(r"[a-z]")
_UPPER_RE = re.compile(r"[A-Z]")


def _mostly_upper(text: str) -> bool:
    head = text[:200]
    if head.upper() == head:
        return head.lower() != head
    n = len(head)
    lower = n - len(_LOWER_RE.sub("", head))
    upper = n - len(_UPPER_RE.sub("", head))
    return upper > 4 * lower


def uncased(text: str) -> bool:
    """A line written with no case information: only its first letter is a capital ("Ccc accepts export bonus
    for cattle to egypt", an outlet's sentence case of a wire headline in capitals)."""
    first = next((i for i, c in enumerate(text) if c.isalpha()), -1)
    return (first >= 0 and text[first].isupper() and not _UPPER_RE.search(text, first + 1)
            and len(text.upper()) == len(text) and " " in text.strip())


def _chunks(run: str, offset: int) -> list[list[tuple[str, int, int]]]:
    """Words of a run with their offsets (possessive "'s" dropped), split where a word ends a
    sentence ("Moscow." but not "U.S.", "Corp." or an initial "H.")."""
    chunks: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    for m in TOKEN_RE.finditer(run):
        t = m.group()
        s = offset + m.start()
        e = s + len(t)
        possessive = len(t) > 2 and t[-1] in "s'’" and (t[-1] != "s" or t[-2] in "'’")
        if possessive:
            cut = 1 if t[-1] != "s" else 2
            t, e = t[:-cut], e - cut
        if possessive and cur and cur[0][0] not in STOPWORDS:
            # "Karl Moser's Grand Slam run": the owner's name ends there
            cur.append((t, s, e))
            chunks.append(cur)
            cur = []
        elif t[-1] == "." and t not in ABBREV and not (len(t) == 2 or "." in t[:-1]):
            cur.append((t[:-1], s, e - 1))
            chunks.append(cur)
            cur = []
        else:
            cur.append((t, s, e))
    if cur:
        chunks.append(cur)
    return chunks


class Scanner:
    """Finds the entities a part of the story names: gazetteer aliases (people, organisations, places) and
    demonyms in its capitalised runs, lower-case gazetteer phrases; runs it does not know go to the entity rules."""

    def __init__(self, entities: dict[str, Entity], alias: dict[str, str], alias_upper: dict[str, str],
                 demonyms: dict[str, str], rules: EntityRules) -> None:
        self.entities = entities
        self.alias = alias
        self.alias_upper = alias_upper
        self.demonyms = demonyms
        self.demonyms_upper = {k.upper(): v for k, v in demonyms.items() if len(k) >= 4}
        self.first_names = rules.first_names
        #: names the runs the gazetteer does not know (bound once: it is called for many runs)
        self._classify = rules.classify
        self._team_slot = rules.team_slot
        # aliases with a lower-case word ("Dutch central bank") never form a capitalised run
        self.phrases = ahocorasick.Automaton()
        for k, v in alias.items():
            if not k.startswith("the ") and entities[v].kind != "place" \
                    and any(w[:1].islower() and w not in CONNECTORS for w in k.split()):
                self.phrases.add_word(k, (k, v))
        if len(self.phrases):
            self.phrases.make_automaton()
        self.max_tokens = max(len(k.split()) for k in alias)
        self.multi_first = frozenset(k.split()[0] for k in (*alias, *demonyms) if " " in k)

    def scan(self, part: str, text: str) -> list[Mention]:
        """The mentions in one part of the story (any part but the dateline); a headline with no case information
        is read as if in capitals, each mention keeping its text as written."""
        if part == "headline" and uncased(text):
            found = self._scan(part, text.upper(), True)
            for m in found:
                m.text = text[m.start : m.end]
            return found
        return self._scan(part, text, _mostly_upper(text))

    def _scan(self, part: str, text: str, caps: bool) -> list[Mention]:
        out: list[Mention] = []
        if not caps and len(self.phrases):
            for end, (key, uri) in self.phrases.iter(text):
                start = end - len(key) + 1
                if (start and text[start - 1].isalnum()) or (end + 1 < len(text) and text[end + 1].isalnum()):
                    continue
                out.append(Mention.of(entity=self.entities[uri], part=part, start=start, end=end + 1, text=key,
                                      method="gazetteer", confidence=85))
        alias, entities = self.alias, self.entities
        for run in RUN_RE.finditer(text):
            g = run.group()
            if g in STOPWORDS:
                continue
            start = run.start()
            if not caps and " " not in g and "\n" not in g and "-" not in g:
                # fast path for the common one-word run
                if g[-1] == "." and g not in ABBREV and not (len(g) == 2 or "." in g[:-1]):
                    g = g[:-1]
                if g[-2:] in ("'s", "’s"):
                    g = g[:-2]
                if g in STOPWORDS or not g:
                    continue
                uri = alias.get(g)
                if uri is not None:
                    e = entities[uri]
                    conf = 70 if e.kind == "person" else (90 if len(g) > 3 else 75)
                    out.append(Mention.of(entity=e, part=part, start=start, end=start + len(g), text=g,
                                          method="gazetteer", confidence=conf))
                    continue
                code = self.demonyms.get(g)
                if code is not None:
                    out.append(Mention.demonym(code=code, text=g, part=part, start=start, end=start + len(g),
                                               confidence=60))
                    continue
                self._classify(part, text, [(g, start, start + len(g))], out, False)
                continue
            for chunk in _chunks(g, start):
                if caps:
                    self._match_caps(part, chunk, out)
                else:
                    self._match_run(part, text, chunk, out)
        return out

    def _match_caps(self, part: str, toks: list[tuple[str, int, int]], out: list[Mention]) -> None:
        """Gazetteer aliases and demonyms in a run of upper-case copy (a headline in capitals, a cable)."""
        i, n = 0, len(toks)
        while i < n:
            for k in range(min(self.max_tokens, n - i), 0, -1):
                s = " ".join(t[0] for t in toks[i : i + k])
                uri = self.alias_upper.get(s)
                if uri:
                    out.append(Mention.of(entity=self.entities[uri], part=part, start=toks[i][1],
                                          end=toks[i + k - 1][2], text=s, method="gazetteer", confidence=80))
                    i += k
                    break
                code = self.demonyms_upper.get(s)
                if code:
                    out.append(Mention.demonym(code=code, text=s, part=part, start=toks[i][1],
                                               end=toks[i + k - 1][2], confidence=60))
                    i += k
                    break
            else:
                i += 1

    def _match_run(self, part: str, text: str, toks: list[tuple[str, int, int]], out: list[Mention]) -> None:
        """The longest gazetteer aliases and demonyms in a run of capitalised words; the words between them
        go to the entity rules."""
        if self._named_whole(part, text, toks, out):
            return
        i, n = 0, len(toks)
        unknown: list[tuple[str, int, int]] = []
        titled = False
        while i < n:
            tok = toks[i][0]
            if tok in CONNECTORS:
                if unknown:
                    unknown.append(toks[i])
                i += 1
                continue
            k, found = self._longest_at(part, toks, i, unknown)
            if found is not None:
                if unknown:
                    self._classify(part, text, unknown, out, titled)
                    unknown = []
                out.append(found)
                i += k
                titled = False
                continue
            if "-" in tok and not unknown:  # "US-Russia", "Russia-based"
                self._hyphenated(part, toks[i], out)
                i += 1
                continue
            if tok in STOPWORDS and not unknown:
                if tok in TITLE_WORDS:
                    titled = True
                i += 1
                continue
            unknown.append(toks[i])
            i += 1
        if unknown:
            self._classify(part, text, unknown, out, titled)

    def _named_whole(self, part: str, text: str, toks: list[tuple[str, int, int]], out: list[Mention]) -> bool:
        """Whether the run is named as a whole, not word by word: a team where sports copy puts one, or an
        organisation by a strong suffix the gazetteer does not know (after a person "of" it, matched first)."""
        if len(toks) > 1 and self._team_slot(text, toks[0][1], toks[-1][2]) \
                and " ".join(t[0] for t in toks) not in self.alias:
            self._classify(part, text, toks, out, False)  # "Queen of Harbour 3 2 0 1 5 4 6": a team, whole
            return True
        whole = toks
        while whole and whole[0][0] in STOPWORDS and whole[0][0] not in TITLE_WORDS:
            whole = whole[1:]
        if len(whole) >= 2 and whole[-1][0] in STRONG_ORG_SUFFIXES and not any(t[0] == "and" for t in whole):
            ofs = [j for j, t in enumerate(whole) if t[0] == "of"]
            if ofs and (whole[0][0] in self.first_names or whole[0][0] in TITLE_WORDS):
                # "Lynn Reaser of Barnett Banks Inc": the person first, then the organisation
                self._match_run(part, text, whole[: ofs[0]], out)
                whole = whole[ofs[0] + 1 :]
            s = " ".join(t[0] for t in whole)
            if s not in self.alias and " ".join(t[0] for t in toks) not in self.alias:
                out.append(Mention.named(kind="organisation", uri=f"urn:syndicate:org:{slug(s)}", text=s, part=part,
                                         start=whole[0][1], end=whole[-1][2], method="org-suffix", confidence=65))
                return True
        return False

    def _longest_at(self, part: str, toks: list[tuple[str, int, int]], i: int,
                    unknown: list[tuple[str, int, int]]) -> tuple[int, Mention | None]:
        """The longest alias or demonym starting at word `i`: (how many words, its mention), or (0, None);
        `unknown`: the words before it the gazetteer did not know."""
        for k in range(min(self.max_tokens, len(toks) - i) if toks[i][0] in self.multi_first else 1, 0, -1):
            if toks[i + k - 1][0] in CONNECTORS:
                continue
            s = " ".join([t[0] for t in toks[i : i + k]])
            uri = self.alias.get(s)
            if uri is None and k == 1 and "-" in s:
                continue
            if uri:
                e = self.entities[uri]
                if k == 1 and e.kind == "person" and unknown and unknown[-1][0] in self.first_names \
                        and not e.name.startswith(unknown[-1][0]):
                    return 0, None  # "Oleg Medvedev" is not Dmitry Medvedev: a name the rules give in full
                conf = 90 if k > 1 or len(s) > 3 else 75
                if e.kind == "person" and k == 1:
                    conf = 70
                j = i + 1 if k > 1 and toks[i][0] in TITLE_WORDS else i
                s = " ".join(t[0] for t in toks[j : i + k])
                return k, Mention.of(entity=e, part=part, start=toks[j][1], end=toks[i + k - 1][2], text=s,
                                     method="gazetteer", confidence=conf)
            code = self.demonyms.get(s)
            if code:
                return k, Mention.demonym(code=code, text=s, part=part, start=toks[i][1], end=toks[i + k - 1][2],
                                          confidence=60)
        return 0, None

    def _hyphenated(self, part: str, tok: tuple[str, int, int], out: list[Mention]) -> None:
        """The places and demonyms among the pieces of a hyphenated word ("US-Russia", "Russia-based")."""
        word, pos, _ = tok
        for piece in word.split("-"):
            uri = self.alias.get(piece)
            code = self.demonyms.get(piece)
            if uri and self.entities[uri].kind == "place":
                out.append(Mention.of(entity=self.entities[uri], part=part, start=pos, end=pos + len(piece),
                                      text=piece, method="gazetteer", confidence=70))
            elif code:
                out.append(Mention.demonym(code=code, text=piece, part=part, start=pos, end=pos + len(piece),
                                           confidence=55))
            pos += len(piece) + 1
