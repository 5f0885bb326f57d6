"""Screening manifests: load with positions, validate (schema + semantics).

Public interface: ``load_manifest(path) -> Manifest`` and
``validate_manifest(path, *, check_media=True) -> list[Diagnostic]``.
"""

from toolkit.manifest.loader import Manifest, ManifestPathError, load_manifest
from toolkit.manifest.validate import validate_manifest

__all__ = ["Manifest", "ManifestPathError", "load_manifest", "validate_manifest"]
