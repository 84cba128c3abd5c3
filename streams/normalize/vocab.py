"""The agency and byline vocabulary of the readers and the normaliser: one base list of agencies, named additions.

The wire agencies every context knows are :data:`WIRE_AGENCIES`. Each context adds names of its own
(``*_ADDITIONS``), and the lists differ on purpose: every context was tuned on its own extraction gate (the
aeb-dev pages for the HTML reader, ``tests/fixtures/normalize/gate`` for page text), and a name added to one
changes what that reader keeps or credits. So the additions stay separate and named; move a name between
them only with ``syndicate eval extraction`` and the gate tests rerun. Patterns join names with "|" as they
stand (a name may be a regex fragment, ``CNN[\\w ]*``). HTML-only things (tag sets, class words, selectors) stay in
``formats.html_vocab``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --------------------------------------------------------------------------------------- agencies

#: The base vocabulary: the wire agencies every credit, byline and opening pattern knows, as they write
#: themselves (also how the normaliser displays an accepted credit of theirs).
WIRE_AGENCIES: tuple[str, ...] = ("Reuters", "AFP", "AP")

#: Page text, a staff byline ("By Reuters staff", "Associated Press staff").
STAFF_ADDITIONS = ("Associated Press",)
#: Page text, a closing "Additional reporting by agencies".
ADDITIONAL_REPORTING_ADDITIONS = ("agencies",)
#: Page text, a credit line alone under the story ("Reuters", "PA", "Agencies"): old Reuters copy signs
#: "Reuter", British pages credit the Press Association.
CREDIT_LINE_ADDITIONS = ("Reuter", "Associated Press", "Press Association", "PA", "Bloomberg", "Agencies")
#: HTML, an agency after the names of a byline or alone under them ("By Jo Lee, Associated Press").
BYLINE_ADDITIONS = ("Associated Press", "Bloomberg")
#: HTML, an agency opening the story in parentheses ("(Reuters) -", "(CNN Business) -").
OPENING_ADDITIONS = (r"CNN[\w ]*", "Bloomberg", "dpa")
#: Normaliser, the rights holder named first in a photo credit ("REUTERS/Maxim Shemetov", "EPA/...").
PHOTO_HOLDER_ADDITIONS = ("Getty Images", "EPA", "PA", "Associated Press", "Bloomberg", "Anadolu")
#: Page text, the agency signing a Reuters-style caption tail, upper case ("... May 1. EPA-EFE/Name").
CAPTION_TAIL_ADDITIONS = ("EPA", "EPA-EFE")


def any_of(names: Iterable[str]) -> str:
    """The names as one regex alternation (no group: the pattern around it puts one)."""
    return "|".join(names)


#: The base agencies by lower-case name, as displayed ("ap" -> "AP").
WIRE_DISPLAY: dict[str, str] = {name.lower(): name for name in WIRE_AGENCIES}
#: Lower-case names of the photo rights holders :func:`streams.normalize.article.split_photo_credit` knows.
PHOTO_HOLDERS: frozenset[str] = frozenset(name.lower() for name in (*WIRE_AGENCIES, *PHOTO_HOLDER_ADDITIONS))


def agency_name(org: str) -> str:
    """An agency as credited: any "Reuter..." spelling becomes "Reuters", other names stay as written."""
    return "Reuters" if org.lower().startswith("reuter") else org


# ---------------------------------------------------------------------------------------- credits

#: "Reuters" or "Reuter" as a word, in any case.
REUTERS_WORD_RE = re.compile(r"\breuters?\b", re.I)
#: HTML, an agency opening the story: "(Reuters) - ".
AGENCY_OPEN_RE = re.compile(rf"^\((?P<agency>{any_of((*WIRE_AGENCIES, *OPENING_ADDITIONS))})\)\s*[-\u2014\u2013]?\s*")
#: HTML, a closing credit line: "Reuters" alone, or the wire's "Reporting by ...; Editing by ...".
REUTERS_CREDIT_RE = re.compile(r"^(?:reuters|\(?reporting by .*|\(?additional reporting by .*|.*editing by .*)$", re.I)
_CREDIT_LINE_ORGS = any_of((*WIRE_AGENCIES, *CREDIT_LINE_ADDITIONS))
#: Page text, a credit line: an agency alone on a line, or "... contributed to this report".
CREDIT_LINE_RE = re.compile(
    rf"^[\s(—–-]*(?P<org>{_CREDIT_LINE_ORGS})"
    r"(?:\s+contributed(?: to)?(?: this)?(?: report(?:ing)?)?)?[\s).]*$",
    re.IGNORECASE,
)
#: Page text, "Additional reporting by Reuters" closing a story.
ADDITIONAL_RE = re.compile(
    rf"^additional reporting by\s+(?P<org>{any_of((*WIRE_AGENCIES, *ADDITIONAL_REPORTING_ADDITIONS))})\.?$",
    re.IGNORECASE,
)
#: Page text, the wire trailer that ends a story: "(Reporting by ...; Editing by ...)".
TRAILER_RE = re.compile(
    r"^\((?:reporting|writing|additional reporting|editing|compiled|research) by\b.{3,300}\)\.?$", re.IGNORECASE
)

# ---------------------------------------------------------------------------------- photo credits

#: Page text, what makes a parenthesised caption tail a photo credit: agencies as photo credits print them
#: ("AP Photo", "PA Wire"; a bare "AP" would match inside words), read case-blind.
PHOTO_CREDIT_WORDS = (
    r"(?:REUTERS|Reuters|AFP|Getty Images|AP Photo|EPA(?:-EFE)?|Anadolu|Bloomberg|PA Wire|Shutterstock)"
)
#: Page text, the credit of a Reuters-style caption tail: "REUTERS/Benoit Tessier" (upper case, as printed).
CAPTION_TAIL_CREDIT = rf"(?:{any_of((*(a.upper() for a in WIRE_AGENCIES), *CAPTION_TAIL_ADDITIONS))})/"
#: HTML, the same test for a figure caption's parenthesised tail, with the other words of such credits.
AGENCY_IN_CREDIT = re.compile(
    r"getty|afp|reuters|\bap\b|associated press|epa|shutterstock|/|photo|images?\b|pool|courtesy", re.I
)

# ---------------------------------------------------------------------------------------- bylines

#: What stands before a byline's names.
BY_WORDS = ("by",)
#: HTML bylines also write "Written by: ...", "Words by ...".
HTML_BY_ADDITIONS = ("written by", "words by")
#: What joins the names of a byline ("Jo Lee, Al Ray and Kim Oh").
NAME_SEPARATORS = (",", "&", r"\band\b")
#: HTML bylines (and their JSON-LD) also list names with ";" and "|".
HTML_NAME_SEPARATORS = (";", r"\|")

#: Page text, "By " opening a byline.
BY_PREFIX_RE = re.compile(rf"^(?:{any_of(BY_WORDS)})\s+", re.IGNORECASE)
#: HTML, "By", "Written by:" ... opening a byline.
BY_RE = re.compile(rf"^\s*(?:{any_of((*BY_WORDS, *HTML_BY_ADDITIONS))})\s*:?\s+", re.I)
#: Page text, where a byline's names split.
NAME_SPLIT_RE = re.compile(rf"\s*(?:{any_of(NAME_SEPARATORS)})\s*")
#: HTML, where a byline's names split.
SPLIT_AUTHORS_RE = re.compile(rf"\s*(?:{any_of((*NAME_SEPARATORS, *HTML_NAME_SEPARATORS))})\s*")
#: Page text, one person's name: capitalised words and the particles of names ("Ursula von der Leyen").
NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|da|del|der|di|la|le|bin|al|el)){1,3}"
#: Page text, a byline line. Names are capitalised (case matters: "Staff and agencies" is no list of names);
#: only "By" may be written in any case.
BYLINE_RE = re.compile(
    rf"^(?:[Bb][Yy]\s+)?(?P<names>{NAME}(?:\s*(?:{any_of(NAME_SEPARATORS)})\s*{NAME})*)"
    r"(?:\s*(?:,|\bfor\b|\bof\b|\bin\b)\s*(?P<org>[A-Z][\w .'-]{1,40}))?\s*$"
)
_STAFF_ORGS = any_of((*WIRE_AGENCIES, *STAFF_ADDITIONS))
#: Page text, a staff byline: "By Reuters staff", "AFP staff".
_STAFF_WORDS = r"(?:staff|news agency|news service|wire service)"
STAFF_RE = re.compile(
    rf"^(?:(?:by|from)\s+(?:the\s+)?(?P<org1>{_STAFF_ORGS})(?:\s+{_STAFF_WORDS})?|(?P<org>{_STAFF_ORGS})\s+{_STAFF_WORDS})$",
    re.IGNORECASE,
)
#: Page text, a byline that names no one ("Staff and agencies", "Agency staff", "Staff and wire reports"): header
#: furniture, neither a standfirst nor a credit.
ANONYMOUS_BYLINE_RE = re.compile(
    r"^(?:by\s+)?(?:staff and (?:agencies|wires|wire (?:reports|services))|(?:agency|wire|news) staff|"
    r"staff reports?|wire reports|(?:from )?(?:our|the) (?:staff|correspondents?|news desk))$",
    re.IGNORECASE,
)
_BYLINE_ORGS = any_of((*WIRE_AGENCIES, *BYLINE_ADDITIONS))
#: HTML, an agency after the names in a byline ("By Jo Lee and Al Ray Associated Press"); the credit is
#: read elsewhere, the byline keeps the people.
BYLINE_ORG_RE = re.compile(rf"[\s,]+(?:for\s+)?(?:the\s+)?(?:{_BYLINE_ORGS})\.?$")
#: HTML, a byline element that names only the agency.
AGENCY_ONLY_RE = re.compile(rf"^(?:the\s+)?(?:{_BYLINE_ORGS})\.?$", re.I)
#: HTML, a bare name at the top of the body: a byline the page did not mark up ("Priya Raman", "By Jo Lee").
NAME_ONLY_RE = re.compile(r"^(?:by\s+)?[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){1,3}$")
