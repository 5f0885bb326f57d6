"""screenkit: subtitle QC, offline translation and screening copies for film events."""

__version__ = "0.1.0"
