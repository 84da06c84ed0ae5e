"""What the replay server and the crawler's download handlers agree on: the headers
that carry the real scheme and say a fixture was missing. Kept apart so production
download code never imports the server."""

from __future__ import annotations

# The scheme of the real URL (the request itself goes to the replay server over http).
SCHEME_HEADER = "X-Replay-Scheme"
# Set on the 404 the server answers when it has no fixture for the URL.
MISS_HEADER = "X-Replay-Miss"
