"""Screening copies with ffmpeg: probe, burn, mux, extract.

Public interface (other capabilities rely on these names):

- ``toolkit.media.probe.probe(path) -> MediaInfo`` with ``duration_ms``,
  ``container``, ``streams`` and ``video`` (first video stream: ``width``,
  ``height``, ``frame_rate`` as a ``fractions.Fraction``), ``subtitles``.
- ``toolkit.media.burn.burn(video, tracks, output, *, font=None, crf=..., preset=..., progress=None)``
- ``toolkit.media.mux.mux(video, tracks, output, *, default=None, forced=None, replace_subs=False)``
- ``toolkit.media.extract.extract(video, out_dir) -> list[Path]``
- ``toolkit.media.still.still_frame(video, at_ms, output_png)``
"""
