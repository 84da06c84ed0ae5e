"""快手 Kuaishou: video search (signed REST), comments and replies, author profiles (GraphQL)."""
