"""Screening copies with ffmpeg: probe, burn, mux, extract.

Public interface (other capabilities rely on these names):

- ``toolkit.media.probe.probe(path) -> MediaInfo`` with ``duration_ms``,
  ``container``, ``streams`` and ``video`` (first video stream: ``width``,
  ``height``, ``frame_rate`` as a ``fractions.Fraction``), ``subtitles``
  (``language``, ``title``, ``default``, ``forced``). Read with PyAV.
- ``toolkit.media.burn.burn(video, tracks, output, *, font=None, crf=..., preset=..., progress=None)``
  (also ``codec=``, ``ffmpeg=``) ``-> BurnResult`` (``fonts``, ``warnings``).
- ``toolkit.media.mux.mux(video, tracks, output, *, default=None, forced=None, replace_subs=False, title=None)``
  (also ``ffmpeg=``, ``progress=``) ``-> MuxResult``.
- ``toolkit.media.extract.extract(video, out_dir) -> list[Path]``
- ``toolkit.media.still.still_frame(video, at_ms, output_png)``
- ``toolkit.media.ffmpeg.resolve_ffmpeg(explicit=None) -> FFmpeg`` (``path``,
  ``source``, ``version``, ``has_libass``): ``--ffmpeg PATH|system``, else
  ``SCREENKIT_FFMPEG``, else imageio-ffmpeg's binary (never an ffmpeg on PATH unasked).

Every failure a user can cause raises ``ScreenkitError`` naming the file;
outputs are written to a temporary name and renamed when complete.
"""
