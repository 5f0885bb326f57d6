"""Screening manifests: load with positions, validate (schema + semantics).

Public interface: ``load_manifest(path) -> Manifest`` and
``validate_manifest(path, *, check_media=True) -> list[Diagnostic]``
(``check_manifest(manifest, ...)`` for a manifest already loaded).
"""

from toolkit.manifest.loader import Manifest, ManifestPathError, load_manifest
from toolkit.manifest.validate import check_manifest, validate_manifest

__all__ = ["Manifest", "ManifestPathError", "check_manifest", "load_manifest", "validate_manifest"]
