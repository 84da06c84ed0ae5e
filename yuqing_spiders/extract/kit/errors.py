"""The one error every parser raises for an answer it cannot read."""

from __future__ import annotations


class PayloadError(ValueError):
    """A page or API answer that is not what the source serves: an HTML error page
    where JSON was due, a changed shape, a missing list. `reason` is a short stats-key
    part (`not_json`, `unexpected_shape`, ...) that spiders count; the message adds
    what was seen. A ValueError, so code reading values in general also catches it."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
