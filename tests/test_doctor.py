"""screenkit doctor: what each capability uses on this machine."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_cli

from toolkit.media.ffmpeg import bundled_ffmpeg_path


def _checks(*args: str) -> dict[str, dict[str, object]]:
    result = run_cli("doctor", "--format", "json", *args)
    assert result.code == 0, result.stderr
    return {check["capability"]: check for check in json.loads(result.stdout)["checks"]}


def test_doctor_names_the_ffmpeg_and_the_face_of_each_language(monkeypatch) -> None:
    monkeypatch.delenv("SCREENKIT_FFMPEG", raising=False)
    checks = _checks()
    assert checks["burn"]["ok"] and checks["burn"]["data"]["path"] == bundled_ffmpeg_path()
    assert checks["burn"]["data"]["found_via"] == "imageio-ffmpeg" and checks["burn"]["data"]["libass"] is True
    faces = {name.split(": ")[1]: check["data"]["face"] for name, check in checks.items() if name.startswith("fonts")}
    assert faces["zh-Hans"] == "Noto Sans CJK SC" and faces["zh-Hant"] == "Noto Sans CJK TC"
    assert faces["en"] == faces["fr"] == "Noto Sans"
    # Which face serves which script, per language: Latin in Noto Sans everywhere, Han in the script's CJK face.
    scripts = checks["fonts: fr"]["data"]["scripts"]
    assert scripts["Latin"]["face"] == "Noto Sans" and scripts["Han"]["face"] == "Noto Sans CJK SC"
    assert checks["fonts: zh-Hant-TW"]["data"]["scripts"]["Han"]["face"] == "Noto Sans CJK TC"
    assert checks["fonts: zh-Hant-TW"]["data"]["scripts"]["Latin"]["face"] == "Noto Sans"
    assert {"translate", "report screenshot", "probe"} <= set(checks)
    text = run_cli("doctor")
    assert "Noto Sans CJK TC" in text.stdout and bundled_ffmpeg_path() in text.stdout
    assert "fonts: fr" in text.stdout and "Latin: Noto Sans (" in text.stdout


def test_doctor_says_when_the_chosen_ffmpeg_cannot_burn(tmp_path: Path) -> None:
    stub = tmp_path / "ffmpeg"
    stub.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$a" = -filters ] && { printf "Filters:\\n ... scale  V->V  Scale.\\n"; exit 0; }; done\n'
        f'exec "{bundled_ffmpeg_path()}" "$@"\n'
    )
    os.chmod(stub, 0o755)
    checks = _checks("--ffmpeg", str(stub))
    assert checks["burn"]["ok"] is False and "NO" in checks["burn"]["detail"]
    assert checks["mux, extract"]["ok"] is True
