"""Subtitle quality control: rules with stable codes, language profiles, safe fixes.

Public interface (other capabilities rely on these names):

- ``load_profile(name_or_path, language) -> Profile``: a built-in profile
  (``festival``, ``netflix``, ``netflix-children``, ``bbc``, ``cinema``) or a
  profile file, resolved for one language.
- ``lint_track(track, profile, *, video_duration_ms=None) -> list[Diagnostic]``
- ``fix_track(track, profile) -> FixResult`` with ``.track`` and ``.changes``
  (one human-readable line per change).
"""
