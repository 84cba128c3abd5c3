"""Dedupe: decide each article as new, duplicate, update, correction or kill against the stories remembered."""
