"""A compact multimap from 64-bit keys to small ints (story handles), newest first, in flat arrays.

Why not a dict: the candidate index lists every remembered story under ~14 keys. As a dict of int -> list,
that is ~1,700 B per story in Python objects (tracemalloc, 100,000 stories); here an entry is 16 bytes in
three `array`s plus its share of the bucket heads, ~270 B per story (`syndicate bench dedupe`, part 3).

Layout: hashing with chaining. ``heads[key & mask]`` is the newest entry of that bucket; entry ``e`` holds
``keys[e]``, ``values[e]`` and ``links[e]``, the next (older) entry of its bucket, -1 at the end. Removed entries
are reused through a free list threaded through ``links``. The table doubles its buckets when it holds more
than two entries per bucket, keeping each bucket's order, so a key's values always come newest first.
Keys should be well mixed (they are hashes): the low bits pick the bucket.
"""

from __future__ import annotations

from array import array

_END = -1


class KeyTable:
    """key (uint64) -> values (uint32), several values per key, listed newest first."""

    def __init__(self, buckets: int = 1024) -> None:
        size = 1 << max(4, (buckets - 1).bit_length())
        self.mask = size - 1
        self.heads = array("i", [_END]) * size
        self.keys = array("Q")
        self.values = array("I")
        self.links = array("i")
        self.free = _END
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(self, key: int, value: int) -> None:
        """List `value` under `key`, as its newest value."""
        if self.size >= 2 * (self.mask + 1):
            self._grow()
        bucket = key & self.mask
        if self.free != _END:
            e = self.free
            self.free = self.links[e]
            self.keys[e], self.values[e], self.links[e] = key, value, self.heads[bucket]
        else:
            e = len(self.keys)
            self.keys.append(key)
            self.values.append(value)
            self.links.append(self.heads[bucket])
        self.heads[bucket] = e
        self.size += 1

    def get(self, key: int, limit: int) -> list[int]:
        """The newest `limit` values listed under `key`, newest first."""
        out: list[int] = []
        keys, links, values = self.keys, self.links, self.values
        e = self.heads[key & self.mask]
        while e != _END:
            if keys[e] == key:
                out.append(values[e])
                if len(out) >= limit:
                    break
            e = links[e]
        return out

    def remove(self, key: int, value: int) -> bool:
        """Unlist `value` from `key`; False when it was not listed there."""
        bucket = key & self.mask
        keys, links, values = self.keys, self.links, self.values
        prev, e = _END, self.heads[bucket]
        while e != _END:
            if keys[e] == key and values[e] == value:
                if prev == _END:
                    self.heads[bucket] = links[e]
                else:
                    links[prev] = links[e]
                links[e] = self.free
                self.free = e
                self.size -= 1
                return True
            prev, e = e, links[e]
        return False

    def clear(self) -> None:
        self.__init__(self.mask + 1)  # type: ignore[misc]

    def _grow(self) -> None:
        """Twice the buckets; each old bucket splits in two, and each keeps its entries' order."""
        old_heads, size = self.heads, self.mask + 1
        self.mask = 2 * size - 1
        self.heads = array("i", [_END]) * (2 * size)
        keys, links, heads = self.keys, self.links, self.heads
        for bucket in range(size):
            chain = []
            e = old_heads[bucket]
            while e != _END:
                chain.append(e)
                e = links[e]
            for e in reversed(chain):  # oldest first, each pushed in front: newest ends first again
                b = keys[e] & self.mask
                links[e] = heads[b]
                heads[b] = e
