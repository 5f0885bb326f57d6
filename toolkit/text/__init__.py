"""The ground floor: text primitives every format, rule and renderer shares.

``markup`` (the canonical inline markup and ASS override blocks), ``widths``
(display widths, scripts, words: what a line measures and which script it is
in) and ``runs`` (styled runs, as DCP and TTML write them). Nothing here
imports any other part of screenkit but ``toolkit.errors`` and
``toolkit.languages``; everything above imports from here (tests/test_floors.py).
"""
