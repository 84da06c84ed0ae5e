"""知乎 Zhihu: keyword search, answers and articles, comments and replies, author profiles."""
