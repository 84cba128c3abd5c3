"""The corpora the evaluations, `--through` and the benchmarks read, one module per corpus format.

`reuters21578` (the SGML collection, read with the product's own reader), `conll2003` (IOB2 entity files),
`aeb` (the article-extraction benchmark layout: HTML pages and a ground-truth JSON) and `fixtures` (the
project's JSON fixtures of invented stories). Each gives the stories as the corpus holds them and the views
the evaluations score; none imports an evaluation.
"""
