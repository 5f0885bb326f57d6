"""The finished package's own files: the output manifest and the checksums."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.fsutil import atomic_path, is_temporary, write_text_atomic
from toolkit.package.plan import PackagePlan
from toolkit.package.steps import STATE_DIR, file_sha256

CHECKSUMS = "checksums.sha256"


def output_manifest(package: PackagePlan, digest: Callable[[Path], str]) -> dict[str, Any]:
    """The manifest as it stands in the package: its paths, its hashes, machine tracks marked."""
    data = json.loads(json.dumps(package.data))
    for work, plan in zip(data["works"], package.works, strict=True):
        media = package.work_dir(plan) / "media" / plan.video.name
        work["media"]["path"] = package.relative(media)
        work["media"]["sha256"] = digest(media)
        tracks = []
        for track in plan.present():
            path = package.track_file(plan, track.language)
            original = (
                dict(plan.data["subtitles"][track.manifest_index]) if track.manifest_index is not None else {}
            )
            original.update(
                {
                    "language": track.language.tag,
                    "path": package.relative(path),
                    "format": "srt",
                    "sha256": digest(path),
                    "origin": track.status if track.translated else original.get("origin", "human"),
                }
            )
            if track.translated:
                original["reviewed"] = False
            tracks.append(original)
        work["subtitles"] = tracks
    return data


def write_manifest(package: PackagePlan, data: dict[str, Any]) -> Path:
    """``manifest.json`` or ``manifest.yaml`` (as the input was) in the package folder."""
    suffix = package.manifest.path.suffix.lower()
    if suffix == ".json":
        target = package.out / "manifest.json"
        write_text_atomic(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return target
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    target = package.out / "manifest.yaml"
    with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8") as handle:
        handle.write("# Written by screenkit package: paths inside this package, hashes filled in.\n")
        yaml.dump(data, handle)
    return target


def checksum_lines(
    out_dir: Path, digest: Callable[[Path], str] = file_sha256, pending: dict[str, Path] | None = None
) -> str:
    """The text of ``checksums.sha256``; PENDING: files about to be renamed into place (name → temporary)."""
    pending = pending or {}
    files: dict[str, Path] = {}
    for path in out_dir.rglob("*"):
        relative = path.relative_to(out_dir)
        if path.is_symlink() or not path.is_file() or relative.parts[0] == STATE_DIR:
            continue
        if relative.as_posix() == CHECKSUMS or is_temporary(path):  # a file being written is no part of it
            continue
        files[relative.as_posix()] = path
    files.update(pending)
    return "".join(f"{digest(files[name])}  {name}\n" for name in sorted(files, key=lambda n: Path(n)))


def write_checksums(out_dir: Path, digest: Callable[[Path], str] = file_sha256) -> Path:
    """``checksums.sha256`` over every file of the package (``sha256sum -c`` reads it)."""
    target = out_dir / CHECKSUMS
    write_text_atomic(target, checksum_lines(out_dir, digest))
    return target
