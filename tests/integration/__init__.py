"""Tests against real parts in this process: Redis, the MongoDB wire server, the
replay site, in-process crawls."""
