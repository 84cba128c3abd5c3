"""Measure the product, not only the stage: render a corpus as stories arrive, run the whole pipeline, score it.

`syndicate eval extraction|tagging|dedupe CORPUS --through FORM` (FORM: wire-text, page-text, html, sgml):
`stories` turns Reuters-21578 and CoNLL-2003 (read by `streams.quality.corpora`) into stories with their gold
body and labels, `render_text` and `render_html` write them as a plain wire page, an invented outlet's
republished page (`outlets`) as text or HTML, or SGML, `deliver` sends them through `run_offline` and reads
back what was delivered per input, `score` scores it (with `streams.quality.scoring`), and `command` prints the
figures. The dedupe evaluation's `--through` is `streams.quality.evaluate.dedupe.through`. Nothing here imports
an evaluation.
"""
