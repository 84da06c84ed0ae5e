"""Getting pages: the download handler (plain HTTP, chromium on request), sessions
(login and visitor cookies), proxies, ban rules and politeness (delays, cool-downs)."""
