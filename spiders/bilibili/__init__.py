"""哔哩哔哩 Bilibili: video search (WBI-signed), detail, comments and replies, up主 cards."""
