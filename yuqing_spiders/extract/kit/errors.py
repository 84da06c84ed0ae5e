"""The one error every parser raises for an answer it cannot read."""

from __future__ import annotations

from collections.abc import Collection, Mapping


class PayloadError(ValueError):
    """A page or API answer that is not what the source serves: an HTML error page
    where JSON was due, a changed shape, a missing list. `reason` is a short stats-key
    part (`not_json`, `unexpected_shape`, ...) that spiders count; the message adds
    what was seen. A ValueError, so code reading values in general also catches it."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def api_code(error: PayloadError) -> str:
    """The code an `api_error` names (raised as `PayloadError("api_error", code)`)."""
    return error.detail or "unknown"


def block_reason(
    error: PayloadError, codes: Mapping[int, str], walls: Collection[str] = ()
) -> str | None:
    """The block an answer stands for, or None (an ordinary error): a verification
    page the parser named (`walls`), or an API error whose code is in `codes`."""
    if error.reason in walls:
        return error.reason
    if error.reason != "api_error":
        return None
    try:
        return codes.get(int(api_code(error)))
    except ValueError:
        return None
