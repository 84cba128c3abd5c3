"""The one Faust codec every JSON topic and table uses: orjson, registered as "orjson"."""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs

NAME = "orjson"


class OrjsonCodec(codecs.Codec):
    """JSON through orjson: bytes out, Python values in; non-str dict keys are allowed on dump."""

    def _dumps(self, obj: Any) -> bytes:
        if isinstance(obj, bytes):
            return obj  # a payload that is not JSON (a NewsML-G2 partner's XML) goes as it is
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register() -> None:
    """Register the codec (idempotent); called by the app factory, not at import time."""
    codecs.register(NAME, OrjsonCodec())
