"""Bugs look like bugs: anything but a ScreenkitError is exit 3 and says it is a bug."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli

from toolkit.errors import EXIT_INTERNAL

MANIFEST = SAMPLES / "paris-showcase" / "manifest.yaml"


def _broken(*args: object, **kwargs: object) -> object:
    raise KeyError("works")


def test_a_bug_exits_3_and_says_it_is_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("toolkit.manifest.validate_manifest", _broken)
    result = run_cli("validate", "--no-media", str(MANIFEST))
    assert_clean_error(result, "screenkit: internal error: KeyError: 'works'", code=EXIT_INTERNAL)
    assert result.stderr.strip().endswith("(a bug; run with --debug for the traceback)")


def test_debug_shows_the_bug_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("toolkit.manifest.validate_manifest", _broken)
    with pytest.raises(KeyError):
        run_cli("--debug", "validate", "--no-media", str(MANIFEST))


def test_a_user_error_is_still_exit_2(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "absent.yaml"))
    assert_clean_error(result, "absent.yaml", code=2)
    assert "internal error" not in result.stderr

