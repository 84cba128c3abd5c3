"""Watching the stream: readable views and filters for records, the metrics registry, the dashboard's event hub."""
