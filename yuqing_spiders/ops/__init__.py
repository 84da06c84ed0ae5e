"""Running it: embedded services, cron scheduling, heartbeats, crawl_stats, crawl
health, status, alert delivery, the live progress table."""
