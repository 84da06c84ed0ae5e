"""What every layer shares and nothing below it: the stored items, their identity,
request-meta keys, time parsing, the sources' configuration, signals, data files."""
