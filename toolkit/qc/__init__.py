"""Subtitle quality control: rules with stable codes, language profiles, safe fixes.

Public interface (other capabilities rely on these names):

- ``load_profile(name_or_path, language) -> Profile``: a built-in profile
  (``festival``, ``netflix``, ``netflix-children``, ``bbc``, ``cinema``) or a
  profile file, resolved for one language.
- ``lint_track(track, profile, *, video_duration_ms=None) -> list[Diagnostic]``
- ``fix_track(track, profile) -> FixResult`` with ``.track`` and ``.changes``
  (one human-readable line per change).
"""

from toolkit.qc.codes import RULES, Rule
from toolkit.qc.fix import FixResult, fix_track
from toolkit.qc.profile import BUILTIN_PROFILES, DEFAULT_PROFILE, Profile, load_profile
from toolkit.qc.rules import lint_track

__all__ = [
    "BUILTIN_PROFILES",
    "DEFAULT_PROFILE",
    "RULES",
    "FixResult",
    "Profile",
    "Rule",
    "fix_track",
    "lint_track",
    "load_profile",
]
