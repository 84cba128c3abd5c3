"""Tag: people, organisations, places and IPTC Media Topic subjects for a normalised article."""
