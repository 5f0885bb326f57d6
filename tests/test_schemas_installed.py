"""One schema lookup (toolkit/schemas.py) for manifests, QC profiles and glossaries, also where
there is no repository beside the package (an installed wheel: the package alone on the path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PROBE = """
import json, sys, tempfile, pathlib
import toolkit.schemas as schemas
assert "site" in str(schemas.SCHEMA_DIR), schemas.SCHEMA_DIR
from toolkit.translate.glossary import glossary_schema
from toolkit.qc.profile import _schema as profile_schema
from toolkit.manifest.schema_check import manifest_validator
print(sorted(schemas.schema_names()), bool(glossary_schema()), bool(profile_schema()), bool(manifest_validator()))
"""


def test_schemas_found_without_the_repository(tmp_path: Path) -> None:
    site = tmp_path / "site"
    # As a wheel installs it: the package's files, the schema link followed.
    shutil.copytree(ROOT / "toolkit", site / "toolkit", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['glossary', 'manifest', 'qc-profile'] True True True"
