"""`syndicate` with its tag or dedupe step broken, for broker tests: the stage raises on every input.

`python -m tests.kafka.broken_stage tag worker ...` runs `syndicate worker ...` with the tagger raising as if its
places table had gone missing; `dedupe` breaks decide's dedupe step (its story index, as if corrupted). Only the
test harness starts it: the break is a monkeypatch inside this process, not a switch in the product.
"""

from __future__ import annotations

import sys
from typing import Any

from streams import cli
from streams.dedupe.deduper import Deduper
from streams.tag.tagger import Tagger

#: stage -> (class, method to break, the error it raises)
BREAK: dict[str, tuple[type, str, Exception]] = {
    "tag": (Tagger, "tag_with_evidence", FileNotFoundError("streams/tag/data/country_names.tsv")),
    "dedupe": (Deduper, "process", KeyError("story index: no shingle table")),
}


def main(argv: list[str]) -> int:
    cls, method, error = BREAK[argv[0]]

    def broken(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise type(error)(*error.args)

    setattr(cls, method, broken)
    return cli.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
