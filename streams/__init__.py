"""Syndicate: a wire-story syndication stream on Kafka and Faust."""
