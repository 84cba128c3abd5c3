"""Normalise: a raw envelope (page text, HTML, ninjs, NewsML-G2, Reuters-21578 SGML) into one ninjs article."""
