"""What screenkit will use on this machine, per capability: ``screenkit doctor``.

Nothing here changes anything; each part says what was found and where from,
or why a capability is missing and how to get it.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from toolkit.errors import ScreenkitError
from toolkit.languages import LANGUAGES


@dataclass
class Check:
    capability: str  # "burn", "fonts: zh-Hans", ...
    ok: bool
    detail: str
    data: dict[str, object] = field(default_factory=dict)


def check_ffmpeg(explicit: str | os.PathLike[str] | None = None) -> list[Check]:
    from toolkit.media.ffmpeg import resolve_ffmpeg

    try:
        tool = resolve_ffmpeg(explicit)
    except ScreenkitError as error:
        return [Check("probe, mux, extract, burn", False, str(error))]
    data: dict[str, object] = {"path": tool.path, "found_via": tool.source, "version": tool.version,
                               "libass": tool.has_libass}
    import av

    checks = [
        Check("probe", True, f"PyAV {av.__version__} (libavformat; no ffprobe needed)", {"pyav": av.__version__}),
        Check("mux, extract", True, tool.describe(), data),
        Check("burn", tool.has_libass,
              f"{tool.describe()}; libass: {'yes' if tool.has_libass else 'NO: cannot burn subtitles'}", data),
    ]
    return checks


def check_fonts() -> list[Check]:
    """Per language, which face serves which script: its own first (the style's), then the other."""
    from toolkit.media.fonts import choose_faces

    checks = []
    for language in LANGUAGES:
        try:
            faces = choose_faces(language)
        except ScreenkitError as error:
            checks.append(Check(f"fonts: {language.tag}", False, str(error)))
            continue
        scripts = [("Han", faces.cjk), ("Latin", faces.latin)] if faces.cjk_track else [
            ("Latin", faces.latin), ("Han", faces.cjk)]
        checks.append(Check(
            f"fonts: {language.tag}", True, "; ".join(f"{script}: {face.describe()}" for script, face in scripts),
            {"face": faces.own.family, "file": str(faces.own.file), "source": faces.own.source,
             "scripts": {script: {"face": face.family, "file": str(face.file), "source": face.source}
                         for script, face in scripts}},
        ))
    return checks


def check_models() -> list[Check]:
    from toolkit.translate.models import installed_models, packages_dir

    try:
        models = installed_models()
    except ScreenkitError as error:
        return [Check("translate", False, str(error))]
    folder = packages_dir()
    if not models:
        return [Check("translate", False, f"no translation model in {folder}: 'screenkit models install PAIR' "
                      "(or FILE.argosmodel offline)", {"folder": str(folder), "models": []})]
    pairs = ", ".join(f"{model.pair} ({model.name} {model.version})" for model in models)
    return [Check("translate", True, f"{len(models)} model(s) in {folder}: {pairs}",
                  {"folder": str(folder), "models": [model.pair for model in models]})]


def check_browser() -> list[Check]:
    from toolkit.report.browser import find_chromium

    found = find_chromium()
    if found is None:
        return [Check("report screenshot", False, "no chromium found (Debian: apt-get install chromium); "
                      "reports are still written, only their screenshots need it")]
    return [Check("report screenshot", True, found, {"path": found})]


def run_checks(ffmpeg: str | os.PathLike[str] | None = None) -> list[Check]:
    return check_ffmpeg(ffmpeg) + check_fonts() + check_models() + check_browser()


def to_json(checks: list[Check]) -> list[dict[str, object]]:
    return [asdict(check) for check in checks]
