"""Subtitle quality control: rules with stable codes, language profiles, safe fixes.

Public interface (other capabilities rely on these names):

- ``load_profile(name_or_path, language) -> Profile``: a built-in profile
  (``festival``, ``netflix``, ``netflix-children``, ``bbc``, ``cinema``) or a
  profile file, resolved for one language.
- ``lint_track(track, profile, *, video_duration_ms=None) -> list[Diagnostic]``
- ``fix_track(track, profile, enabled=ALL) -> FixResult`` with ``.track``,
  ``.fixes`` (``Change``: code, cue, time, message) and ``.changes`` (one
  line per change, its rule code first); ``enabled`` is a ``Selection``
  (``--select``/``--ignore``) so that only the selected rules' fixes run.
- ``RULES`` (``toolkit.qc.registry``): every rule with its documentation and fix.
"""

from toolkit.qc.fix import Change, FixResult, fix_track
from toolkit.qc.profile import BUILTIN_PROFILES, DEFAULT_PROFILE, Profile, load_profile
from toolkit.qc.registry import ALL, RULES, Rule, Selection
from toolkit.qc.rules import lint_track

__all__ = [
    "ALL",
    "BUILTIN_PROFILES",
    "DEFAULT_PROFILE",
    "RULES",
    "Change",
    "FixResult",
    "Profile",
    "Rule",
    "Selection",
    "fix_track",
    "lint_track",
    "load_profile",
]
