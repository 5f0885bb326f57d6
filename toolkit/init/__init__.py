"""``screenkit init``: a draft manifest from a folder of screening copies and subtitle files,
and from a festival lineup in a spreadsheet (``toolkit.init.lineup``)."""

from __future__ import annotations

from toolkit.init.draft import Draft, build
from toolkit.init.folder import Folder, scan
from toolkit.init.lineup import Lineup, LineupErrors, parse_columns, read_lineup

__all__ = ["Draft", "Folder", "Lineup", "LineupErrors", "build", "parse_columns", "read_lineup", "scan"]
