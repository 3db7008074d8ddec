"""A token bucket per caller: `burst` requests at once, refilled at `per_minute` a minute."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_callers: int = 10_000,
    ) -> None:
        self.per_second = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        # Callers seen least recently are forgotten first; a forgotten caller starts full again,
        # which is what its bucket would have refilled to anyway unless it was very recent.
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()
        self._max_callers = max_callers
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_second > 0

    def acquire(self, caller: Hashable) -> float:
        """Take one token: 0.0 when the request may go ahead, else the seconds until it may."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, updated = self._buckets.pop(caller, (self.burst, now))
            tokens = min(self.burst, tokens + (now - updated) * self.per_second)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.per_second
            self._buckets[caller] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            while len(self._buckets) > self._max_callers:
                self._buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    """The Retry-After header value: whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil(wait)))
