"""小红书 Xiaohongshu: note search (signed), note pages, comments and replies, author profiles."""
