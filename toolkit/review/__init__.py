"""The review page: subtitle editors check and approve machine translations.

``screenkit review MANIFEST|FILE...`` serves, on 127.0.0.1 only and behind a
random token, one page per track: the source text beside the translation,
each cue's QC findings recomputed as the editor types, the video with the
current edits as its WebVTT track. Every edit is journaled before it is
acknowledged (:mod:`toolkit.review.journal`); approving writes the track
atomically, marks it reviewed in the manifest without reformatting it
(:mod:`toolkit.review.manifest_edit`) and stores the approved lines in the
translation cache, so a later ``translate`` gives them back unchanged.

The library parts (workset, journal, checks, approve) need no web framework;
only :mod:`toolkit.review.app` and :mod:`toolkit.review.server` import
Starlette, Jinja2 and uvicorn (the ``screenkit[review]`` extra).
"""
