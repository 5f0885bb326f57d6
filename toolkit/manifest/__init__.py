"""Screening manifests: load with positions, validate (schema + semantics).

Public interface: ``load_manifest(path) -> Manifest`` and
``validate_manifest(path, *, check_media=True) -> list[Diagnostic]``.
"""
