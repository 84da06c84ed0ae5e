"""The shared request queue of distributed mode (leased, not popped), its Scrapy
scheduler, the Bloom dupefilter, seed lists and the JSON request serializer
(docs/architecture.md)."""
