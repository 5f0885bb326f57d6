"""``screenkit models``: a real .argosmodel, argos's own install_from_path, a package index on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import socket
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from tinymodel import argos_packages_dir, tiny_packages  # noqa: F401  (fixtures)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the CLI's stderr is checked by the tests


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A package index served by http.server from a thread, on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def index_folder(tmp_path: Path, tiny_packages: dict) -> Path:  # noqa: F811
    folder = tmp_path / "index"
    folder.mkdir()
    package = tiny_packages[("en", "fr")]
    shutil.copy(package, folder / "translate-en_fr-1_0.argosmodel")
    return folder


def write_index(folder: Path, url: str) -> None:
    size = (folder / "translate-en_fr-1_0.argosmodel").stat().st_size
    entries = [
        {
            "package_version": "1.0",
            "argos_version": "1.9",
            "from_code": "en",
            "to_code": "fr",
            "from_name": "English",
            "to_name": "French",
            "type": "translate",
            "size": size,
            "links": [url + "translate-en_fr-1_0.argosmodel"],
        },
        {"from_code": "en", "to_code": "sbd-only", "type": "sbd", "links": []},
        # No size in the entry (argos's real index has none): list asks the server (HEAD).
        {"from_code": "fr", "to_code": "en", "package_version": "1.1", "links": [url + "translate-en_fr-1_0.argosmodel"]},
    ]
    (folder / "index.json").write_text(json.dumps(entries), encoding="utf-8")


def test_install_list_and_remove_from_a_local_index(tmp_path: Path, index_folder: Path) -> None:
    packages = tmp_path / "packages"
    env = {"ARGOS_PACKAGES_DIR": str(packages)}
    with serve(index_folder) as url:
        write_index(index_folder, url)
        listed = run_cli("models", "list", "--index", url, "--format", "json", env=env)
        assert listed.code == 0, listed.stderr
        document = json.loads(listed.stdout)
        assert document["installed"] == []
        size = (index_folder / "translate-en_fr-1_0.argosmodel").stat().st_size
        assert [(m["pair"], m["size_bytes"]) for m in document["available"]] == [("en:fr", size), ("fr:en", size)]
        installed = run_cli("models", "install", "en:fr", env={**env, "ARGOS_PACKAGE_INDEX": url})
        assert installed.code == 0, installed.stderr
    assert (packages / "translate-en_fr-1_0" / "model" / "model.bin").is_file()
    assert "argostranslate.translate" not in sys.modules  # never imported (stanza, torch)
    listed = run_cli("models", "list", "--offline", "--format", "json", env=env)
    (model,) = json.loads(listed.stdout)["installed"]
    assert model["pair"] == "en:fr" and model["version"] == "1.0" and model["size_bytes"] > 10_000
    removed = run_cli("models", "remove", "en:fr", env=env)
    assert removed.code == 0, removed.stderr
    assert not (packages / "translate-en_fr-1_0").exists()


def test_install_a_package_file_offline(tmp_path: Path, tiny_packages: dict) -> None:  # noqa: F811
    packages = tmp_path / "packages dir"
    result = run_cli("models", "install", str(tiny_packages[("zh", "en")]), env={"ARGOS_PACKAGES_DIR": str(packages)})
    assert result.code == 0, result.stderr
    assert "installed zh:en" in result.stderr
    text = run_cli("models", "list", "--offline", env={"ARGOS_PACKAGES_DIR": str(packages)})
    assert "zh:en" in text.stdout and "zh-Hans → en" in text.stdout
    # Installing again replaces the package: still one model, nothing left beside it.
    assert run_cli("models", "install", str(tiny_packages[("zh", "en")]), env={"ARGOS_PACKAGES_DIR": str(packages)}).code == 0
    assert [p.name for p in packages.iterdir()] == ["translate-zh_en-1_0"]


def test_offline_without_an_index_is_a_clear_message_not_a_hang(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "p"), "ARGOS_PACKAGE_INDEX": url, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = run_cli("models", "install", "zh:en", env=env)
    assert_clean_error(result, "cannot reach the argos package index", "models install FILE.argosmodel", code=2)
    # list still lists what is installed, and says the index is out of reach.
    listed = run_cli("models", "list", env=env)
    assert listed.code == 0
    assert "(none)" in listed.stdout and "index not reachable" in listed.stderr


def test_pair_missing_from_the_index(tmp_path: Path, index_folder: Path) -> None:
    with serve(index_folder) as url:
        write_index(index_folder, url)
        result = run_cli("models", "install", "zh:fr", "--index", url, env={"ARGOS_PACKAGES_DIR": str(tmp_path / "p")})
    assert_clean_error(result, "no package zh:fr in the index", "en:fr")


def test_index_that_is_not_json(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "index.json").write_text("<html>captive portal</html>", encoding="utf-8")
    with serve(folder) as url:
        result = run_cli("models", "install", "en:fr", "--index", url, env={"ARGOS_PACKAGES_DIR": str(tmp_path / "p")})
    assert_clean_error(result, "not a JSON list of packages")


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_hostile_package_files_are_refused_and_nothing_is_installed(tmp_path: Path, tiny_packages: dict) -> None:  # noqa: F811
    packages = tmp_path / "packages"
    env = {"ARGOS_PACKAGES_DIR": str(packages)}
    good = tiny_packages[("zh", "en")].read_bytes()
    truncated = tmp_path / "truncated.argosmodel"
    truncated.write_bytes(good[: len(good) // 2])
    flipped = tmp_path / "flipped.argosmodel"
    damaged = bytearray(good)
    middle = len(damaged) // 2
    damaged[middle : middle + 64] = bytes(64)  # a run of zeros inside model.bin's data
    flipped.write_bytes(bytes(damaged))
    not_zip = tmp_path / "text.argosmodel"
    not_zip.write_text("hello", encoding="utf-8")
    no_metadata = _zip(tmp_path / "nometa.argosmodel", {"pkg/model/model.bin": b"x"})
    escaping = _zip(tmp_path / "escape.argosmodel", {"../evil/metadata.json": b"{}", "../evil/model/model.bin": b"x"})
    bad_metadata = _zip(tmp_path / "badmeta.argosmodel", {"pkg/metadata.json": b"{not json", "pkg/model/model.bin": b"x"})
    corrupt_weights = _zip(
        tmp_path / "weights.argosmodel",
        {"pkg/metadata.json": json.dumps({"from_code": "en", "to_code": "fr"}).encode(), "pkg/model/model.bin": b"garbage"},
    )
    cases = [
        (truncated, "must be a zip archive"),
        (flipped, "corrupt package archive"),
        (not_zip, "must be a zip archive"),
        (no_metadata, "no metadata.json"),
        (escaping, "unsafe paths"),
        (bad_metadata, "metadata.json"),
    ]
    for path, fragment in cases:
        assert_clean_error(run_cli("models", "install", str(path), env=env), str(path), fragment)
    assert not packages.exists() or not any(packages.iterdir())
    assert not (tmp_path / "evil").exists()
    # Installs (argos only unzips), but the weights are caught when translating: see test_translate_cli.
    assert run_cli("models", "install", str(corrupt_weights), env=env).code == 0


def test_remove_unknown_model(tmp_path: Path) -> None:
    result = run_cli("models", "remove", "en:fr", env={"ARGOS_PACKAGES_DIR": str(tmp_path)})
    assert_clean_error(result, "no installed model 'en:fr'")


def test_bad_pair_syntax(tmp_path: Path) -> None:
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path), "ARGOS_PACKAGE_INDEX": f"http://127.0.0.1:{closed_port()}/"}
    assert_clean_error(run_cli("models", "install", "zh-en", env=env), "language pair like zh:en")
    assert_clean_error(run_cli("models", "install", "xx:en", env=env), "unknown language 'xx'")
