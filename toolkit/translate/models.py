"""Translation models: argos packages installed, available, installed from the index or a file.

Only ``argostranslate.package`` is used (argos-notes.md: ``argostranslate.translate``
imports stanza and PyTorch). Two of its functions are avoided on purpose:

* ``get_available_packages()`` recurses forever when the local index is
  missing and the network is down (argos-notes.md), and
  ``update_package_index()`` has no timeout: we fetch ``index.json`` ourselves
  with a timeout and build ``AvailablePackage`` objects from it.
* ``install_from_path()`` and ``uninstall()`` end by importing
  ``argostranslate.translate`` to clear a cache; we let them, with a stand-in
  module in ``sys.modules`` for the duration of the call (see ``_no_translate_import``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import types
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError, ToolMissingError
from toolkit.languages import Language, from_argos, parse_language

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_TIMEOUT_S = 10.0
DOWNLOAD_TIMEOUT_S = 120.0
# A real package is ~100 MB; refuse index entries or downloads that are absurd.
MAX_PACKAGE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class InstalledModel:
    from_code: str
    to_code: str
    name: str
    version: str
    path: Path
    target_prefix: str
    size_bytes: int

    @property
    def pair(self) -> str:
        return f"{self.from_code}:{self.to_code}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pair": self.pair,
            "from": self.from_code,
            "to": self.to_code,
            "name": self.name,
            "version": self.version,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "installed": True,
        }


@dataclass(frozen=True)
class AvailableModel:
    from_code: str
    to_code: str
    name: str
    version: str
    links: tuple[str, ...]
    size_bytes: int | None
    metadata: dict[str, Any]

    @property
    def pair(self) -> str:
        return f"{self.from_code}:{self.to_code}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pair": self.pair,
            "from": self.from_code,
            "to": self.to_code,
            "name": self.name,
            "version": self.version,
            "size_bytes": self.size_bytes,
            "links": list(self.links),
            "installed": False,
        }


def packages_dir() -> Path:
    """Where argos installs packages: ``ARGOS_PACKAGES_DIR`` or its default under XDG_DATA_HOME."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return data_home / "argos-translate" / "packages"


def index_url(override: str | None = None) -> str:
    url = override or os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    return url if url.endswith("index.json") else url.rstrip("/") + "/index.json"


def _argos_package() -> types.ModuleType:
    """``argostranslate.package``, pointed at the packages folder of this moment.

    argos reads its settings from the environment once, at import; a test or
    a user who changes ARGOS_PACKAGES_DIR afterwards must still be obeyed.
    """
    try:
        from argostranslate import package, settings
    except ImportError as error:  # pragma: no cover - installed with screenkit
        raise ToolMissingError(f"argostranslate is not installed ({error})") from error
    directory = packages_dir()
    directory.mkdir(parents=True, exist_ok=True)
    settings.package_data_dir = directory
    settings.package_dirs = [directory]
    return package


@contextlib.contextmanager
def _no_translate_import() -> Iterator[None]:
    """Let argos clear its language cache without importing stanza/torch (argos-notes.md)."""
    name = "argostranslate.translate"
    if name in sys.modules:
        yield
        return
    stand_in = types.ModuleType(name)

    def get_installed_languages() -> list[Any]:
        return []

    get_installed_languages.cache_clear = lambda: None  # type: ignore[attr-defined]
    stand_in.get_installed_languages = get_installed_languages  # type: ignore[attr-defined]
    sys.modules[name] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]


def _folder_size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def installed_models() -> list[InstalledModel]:
    """Every package in the packages folder that argos itself can load."""
    package = _argos_package()
    directory = packages_dir()
    models = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            pkg = package.Package(folder)
        except (OSError, ValueError, KeyError, json.JSONDecodeError):
            continue  # a half-removed or foreign folder is not a model
        if not getattr(pkg, "from_code", None) or not getattr(pkg, "to_code", None):
            continue
        models.append(
            InstalledModel(
                from_code=pkg.from_code,
                to_code=pkg.to_code,
                name=folder.name,
                version=str(getattr(pkg, "package_version", "") or ""),
                path=folder,
                target_prefix=str(getattr(pkg, "target_prefix", "") or ""),
                size_bytes=_folder_size(folder),
            )
        )
    return models


def find_installed(from_code: str, to_code: str) -> InstalledModel | None:
    for model in installed_models():
        if model.from_code == from_code and model.to_code == to_code:
            return model
    return None


def argos_package_for(model: InstalledModel) -> Any:
    """argos's own ``Package`` object (metadata, tokenizer) for an installed model."""
    return _argos_package().Package(model.path)


# --- the index -------------------------------------------------------------------------


def fetch_index(url: str | None = None, timeout: float = INDEX_TIMEOUT_S) -> list[AvailableModel]:
    """The package index, fetched with a timeout; a clear error when it cannot be reached."""
    address = index_url(url)
    try:
        with urllib.request.urlopen(address, timeout=timeout) as response:
            data = response.read(16 * 1024 * 1024)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ScreenkitError(
            f"cannot reach the argos package index ({reason}); offline, install a downloaded "
            "package file with 'screenkit models install FILE.argosmodel' "
            "(set the index with --index or ARGOS_PACKAGE_INDEX)",
            path=address,
        ) from None
    try:
        entries = json.loads(data)
        if not isinstance(entries, list):
            raise ValueError("not a list")
    except (ValueError, UnicodeDecodeError) as error:
        raise ScreenkitError(f"the package index is not a JSON list of packages ({error})", path=address) from None
    models = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
            continue
        from_code, to_code = entry.get("from_code"), entry.get("to_code")
        links = entry.get("links") or []
        if not isinstance(from_code, str) or not isinstance(to_code, str) or not isinstance(links, list):
            continue
        size = entry.get("size") or entry.get("size_bytes")
        models.append(
            AvailableModel(
                from_code=from_code,
                to_code=to_code,
                name=f"translate-{from_code}_{to_code}",
                version=str(entry.get("package_version", "")),
                links=tuple(str(link) for link in links),
                size_bytes=int(size) if isinstance(size, (int, float)) else None,
                metadata=entry,
            )
        )
    return models


def with_sizes(models: list[AvailableModel], timeout: float = 3.0) -> list[AvailableModel]:
    """Fill in sizes the index does not give, from HEAD requests made in parallel."""
    from concurrent.futures import ThreadPoolExecutor
    from dataclasses import replace

    def size_of(model: AvailableModel) -> AvailableModel:
        if model.size_bytes is not None or not model.links:
            return model
        try:
            request = urllib.request.Request(model.links[0], method="HEAD")
            with urllib.request.urlopen(request, timeout=timeout) as response:
                length = response.headers.get("Content-Length")
        except (urllib.error.URLError, OSError, ValueError):
            return model
        return replace(model, size_bytes=int(length)) if length and length.isdigit() else model

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(size_of, models))


def _download(model: AvailableModel, into: Path, timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    target = into / f"{model.name}.argosmodel"
    errors = []
    for link in model.links:
        if not link.startswith(("http://", "https://")):
            errors.append(f"{link}: not http(s)")
            continue
        try:
            with urllib.request.urlopen(link, timeout=timeout) as response, open(target, "wb") as out:
                copied = 0
                while chunk := response.read(1 << 20):
                    copied += len(chunk)
                    if copied > MAX_PACKAGE_BYTES:
                        raise ValueError("download larger than any translation package")
                    out.write(chunk)
            return target
        except (urllib.error.URLError, OSError, ValueError) as error:
            errors.append(f"{link}: {getattr(error, 'reason', error)}")
    raise ScreenkitError(f"cannot download {model.pair} ({'; '.join(errors) or 'no links'})")


# --- install / remove ------------------------------------------------------------------


def _check_archive(path: Path) -> dict[str, Any]:
    """What argos would install: one folder with metadata.json and a CTranslate2 model."""
    from toolkit.fsutil import require_regular_file

    require_regular_file(path, kind="argos package (.argosmodel)", missing="no such package file")
    if not zipfile.is_zipfile(path):
        raise ScreenkitError("not an argos package (.argosmodel must be a zip archive)", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            tops = {name.split("/", 1)[0] for name in names if name.strip("/")}
            if len(tops) != 1:
                raise ScreenkitError("not an argos package (expected one folder in the archive)", path=path)
            top = tops.pop()
            if top in ("", ".", "..") or any(".." in Path(name).parts or name.startswith("/") for name in names):
                raise ScreenkitError("not an argos package (unsafe paths in the archive)", path=path)
            if f"{top}/metadata.json" not in names:
                raise ScreenkitError("not an argos package (no metadata.json)", path=path)
            if f"{top}/model/model.bin" not in names:
                raise ScreenkitError("not an argos package (no model/model.bin)", path=path)
            bad = archive.testzip()
            if bad is not None:
                raise ScreenkitError(f"corrupt package archive (bad CRC in {bad})", path=path)
            metadata = json.loads(archive.read(f"{top}/metadata.json"))
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as error:
        raise ScreenkitError(f"corrupt package archive ({error})", path=path) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as error:  # RecursionError: nested too deep
        raise ScreenkitError(f"not an argos package (metadata.json: {error})", path=path) from None
    if not isinstance(metadata, dict) or not all(
        isinstance(metadata.get(key), str) for key in ("from_code", "to_code")
    ):
        raise ScreenkitError("not an argos package (metadata.json lacks from_code/to_code)", path=path)
    metadata["_folder"] = top
    return metadata


def install_file(path: str | os.PathLike[str]) -> InstalledModel:
    """Install a ``.argosmodel`` file with argos's own ``install_from_path``."""
    source = Path(path)
    metadata = _check_archive(source)
    package = _argos_package()
    folder = packages_dir() / metadata["_folder"]
    # A reinstall replaces the old version, which is put back if the new one fails.
    previous = folder.with_name(f".{folder.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.rename(previous)

    def roll_back() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if previous.exists():
            previous.rename(folder)

    try:
        with _no_translate_import():
            package.install_from_path(source)
    except Exception as error:
        roll_back()
        raise ScreenkitError(f"argos could not install the package ({error})", path=source) from None
    installed = find_installed(metadata["from_code"], metadata["to_code"])
    if installed is None:
        roll_back()
        raise ScreenkitError("the package installed but argos cannot load it", path=source)
    shutil.rmtree(previous, ignore_errors=True)
    return installed


def install_pairs(pairs: list[str], url: str | None = None) -> list[InstalledModel]:
    """``zh:en en:fr`` → download from the index and install each."""
    wanted = [parse_pair(pair) for pair in pairs]
    available = fetch_index(url)
    chosen = []
    for from_code, to_code in wanted:
        candidates = [m for m in available if m.from_code == from_code and m.to_code == to_code]
        if not candidates:
            have = ", ".join(sorted({m.pair for m in available})) or "none"
            raise ScreenkitError(f"no package {from_code}:{to_code} in the index (it has: {have})")
        chosen.append(max(candidates, key=lambda m: _version_key(m.version)))
    installed = []
    with tempfile.TemporaryDirectory(prefix="screenkit-models-") as scratch:
        for model in chosen:
            installed.append(install_file(_download(model, Path(scratch))))
    return installed


def _version_key(version: str) -> Any:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


def parse_pair(text: str) -> tuple[str, str]:
    """``zh-Hant:en`` → (``zt``, ``en``) in argos codes."""
    if ":" not in text:
        raise ScreenkitError(f"expected a language pair like zh:en, got {text!r}")
    left, right = text.split(":", 1)
    source, target = parse_language(left), parse_language(right)
    if source == target:
        raise ScreenkitError(f"{text!r} translates a language into itself")
    return source.argos, target.argos


def remove(pair_or_name: str) -> InstalledModel:
    package = _argos_package()
    models = installed_models()
    match = [m for m in models if m.name == pair_or_name]
    if not match and ":" in pair_or_name:
        from_code, to_code = parse_pair(pair_or_name)
        match = [m for m in models if m.from_code == from_code and m.to_code == to_code]
    if not match:
        raise ScreenkitError(f"no installed model {pair_or_name!r} (see 'screenkit models list')")
    model = match[0]
    with _no_translate_import():
        package.uninstall(package.Package(model.path))
    return model


def model_fingerprint(model: InstalledModel) -> str:
    """name + version + a hash of the weights: what the translation cache is keyed by."""
    digest = hashlib.sha256()
    for relative in ("model/model.bin", "model/config.json", "sentencepiece.model", "bpe.model"):
        file = model.path / relative
        if file.exists():
            with open(file, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
    return f"{model.name}@{model.version}#{digest.hexdigest()[:16]}"


def language_name(code: str) -> str:
    language: Language | None = from_argos(code)
    return language.tag if language else code
