"""A Bloom filter on Redis bitmaps, split into time buckets so it forgets old URLs.

Pure parts: the filter's size for a capacity and error rate, the bit positions of a
fingerprint, and the Lua that tests and sets them atomically. The dupefilter
(yuqing_spiders.queue.dupefilter) and the leased queue's atomic "push unless seen"
(yuqing_spiders.queue.leased) both run this Lua, so they can never disagree.

Buckets: ``<prefix>:<n>`` with n = Redis time // bucket seconds (the server's clock,
one for the whole cluster). A check looks at the current bucket and the ``buckets - 1``
before it; a fingerprint found only in an older bucket is written again into the
current one, so a URL that list pages keep linking stays known while one that vanished
is forgotten after ``buckets`` bucket lengths. Every bucket key carries an EXPIREAT at
the end of its window, so the filter never grows past ``buckets`` bitmaps.
"""

from __future__ import annotations

import builtins
import math
from dataclasses import dataclass

# Redis strings (and so bitmaps) stop at 512 MiB.
MAX_BITS = 2**32

# Result codes of the Lua check, as returned to Python.
NEW = 1
SEEN = 0
SEEN_OLDER = 2  # seen in an older bucket only: a duplicate, now refreshed

# A Lua function, prepended to every script that needs the check. Positions are the
# ARGV entries from index `first` on (`BucketPolicy.args` builds the ARGV tail).
# Standalone Redis only: the bucket keys are built here from the server time, so they
# cannot be declared in KEYS (Redis Cluster would refuse them; we do not run one).
BLOOM_LUA = """
local function bloom_check_and_set(prefix, bucket_seconds, buckets, bits, first)
  local now = tonumber(redis.call('TIME')[1])
  local current = math.floor(now / bucket_seconds)
  local function all_set(key)
    for i = first, #ARGV do
      if redis.call('GETBIT', key, ARGV[i]) == 0 then return false end
    end
    return true
  end
  local current_key = prefix .. ':' .. current
  if redis.call('EXISTS', current_key) == 0 then
    -- Allocate the whole bitmap at once: grown bit by bit, Redis over-allocates it
    -- by up to 1 MiB (or double) for growth that never comes.
    redis.call('SETBIT', current_key, bits - 1, 0)
  elseif all_set(current_key) then
    return 0
  end
  local result = 1
  for n = current - 1, current - buckets + 1, -1 do
    local key = prefix .. ':' .. n
    if redis.call('EXISTS', key) == 1 and all_set(key) then
      result = 2
      break
    end
  end
  for i = first, #ARGV do
    redis.call('SETBIT', current_key, ARGV[i], 1)
  end
  redis.call('EXPIREAT', current_key, (current + buckets) * bucket_seconds)
  return result
end
"""

CHECK_SCRIPT = (
    BLOOM_LUA
    + """
return bloom_check_and_set(ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), 5)
"""
)


@dataclass(frozen=True)
class BloomSpec:
    """Size of one bucket's bitmap (`bits`) and its number of hashes (`hashes`)."""

    capacity: int
    error_rate: float
    bits: int
    hashes: int

    @classmethod
    def for_capacity(cls, capacity: int, error_rate: float) -> BloomSpec:
        """The classic optimum: m = -n ln p / (ln 2)^2 bits, k = m/n ln 2 hashes."""
        if capacity < 1:
            raise ValueError(f"Bloom capacity must be at least 1, not {capacity}")
        if not 0 < error_rate < 1:
            raise ValueError(f"Bloom error rate must be between 0 and 1, not {error_rate}")
        bits = math.ceil(-capacity * math.log(error_rate) / math.log(2) ** 2)
        if bits > MAX_BITS:
            raise ValueError(
                f"a Bloom filter for {capacity} items at error rate {error_rate} needs "
                f"{bits} bits, over Redis's {MAX_BITS}; lower the capacity or raise the rate"
            )
        hashes = max(1, round(bits / capacity * math.log(2)))
        return cls(capacity, error_rate, bits, hashes)

    @property
    def bytes(self) -> int:
        return (self.bits + 7) // 8

    def positions(self, fingerprint: builtins.bytes) -> list[int]:
        """k bit positions from one fingerprint (Kirsch-Mitzenmacher double hashing).

        The fingerprint is Scrapy's request fingerprint (SHA-1, 20 bytes): its bits are
        already uniform, so two 64-bit halves serve as the two base hashes.
        """
        if len(fingerprint) < 16:
            raise ValueError("a Bloom fingerprint needs at least 16 bytes")
        first = int.from_bytes(fingerprint[:8], "big")
        # Odd, so that the k probes never collapse onto one position.
        step = int.from_bytes(fingerprint[8:16], "big") | 1
        return [(first + i * step) % self.bits for i in range(self.hashes)]


@dataclass(frozen=True)
class BucketPolicy:
    """How long one bucket lasts and how many (the current one included) are checked."""

    seconds: int
    buckets: int

    def __post_init__(self) -> None:
        if self.seconds < 1:
            raise ValueError(f"Bloom bucket length must be at least 1 s, not {self.seconds}")
        if self.buckets < 1:
            raise ValueError(f"Bloom buckets must be at least 1, not {self.buckets}")

    def args(self, prefix: str, bits: int, positions: list[int]) -> list[str | int]:
        """The ARGV tail of the Lua check: prefix, bucket length, buckets, bitmap size,
        positions."""
        return [prefix, self.seconds, self.buckets, bits, *positions]
