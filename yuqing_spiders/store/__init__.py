"""MongoDB and Redis: one place that opens connections, the stored documents and
their indexes, the batched writer, the disk spool, the front-page sets."""
