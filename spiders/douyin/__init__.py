"""抖音 Douyin: keyword search, video detail, comments and replies, author profiles (signed)."""
