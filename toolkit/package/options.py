"""How ``screenkit package`` builds: the options a step kind may read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.translate.executor import ExecutorSpec


@dataclass
class PackageOptions:
    translate_missing: bool = False
    jobs: int = 1
    dry_run: bool = False
    check_media: bool = True
    crf: int = 20
    preset: str = "veryfast"
    font: str | None = None
    ffmpeg: str | None = None
    cache: Path | None = None  # translation cache (default: inside the package's state folder)
    executor: ExecutorSpec | None = None  # where --translate-missing runs the models (None: here)
    wait: bool = False  # another run holds the folder: wait for it instead of failing at once
