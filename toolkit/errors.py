"""The one exception type of the library, and the exit codes of the contract.

Every failure a user can cause (a file that cannot be read, a timestamp that
cannot be parsed, a bad option) is raised as :class:`ScreenkitError`. It knows
where the problem is, so the CLI can print it like a compiler does
(``manifest.yaml:23:7: message``) and exit with the contract's code.

Only what the user can fix is a ScreenkitError. Anything else that escapes a
command is a bug: the CLI says so and exits with :data:`EXIT_INTERNAL`.
"""

from __future__ import annotations

import re
from os import PathLike, fspath

# C0 and C1 controls, DEL, the line and paragraph separators, and surrogates (file names
# that are not UTF-8 arrive as U+DC80-U+DCFF): shown escaped, so that one message stays one line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """TEXT with control characters written as escapes (a newline in a file name as ``\\n``)."""
    return _UNPRINTABLE.sub(_escaped, text) if _UNPRINTABLE.search(text) else text

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a bug: the message says so; --debug shows the traceback


class ScreenkitError(Exception):
    """A failure caused by the input or the invocation, not by a bug."""

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
        column: int | None = None,
        exit_code: int = EXIT_USAGE,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = fspath(path) if path is not None else None
        self.line = line
        self.column = column
        self.exit_code = exit_code

    @property
    def location(self) -> str:
        """``path:line:column`` with the parts that are known."""
        parts = [escape_controls(self.path)] if self.path else []
        if self.path and self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        location = self.location
        message = escape_controls(self.message)  # a name quoted in the message stays on one line too
        return f"{location}: {message}" if location else message

    def with_path(self, path: str | PathLike[str]) -> ScreenkitError:
        """Fill in the path when the raiser only knew the line."""
        if self.path is None:
            self.path = fspath(path)
        return self


class ToolMissingError(ScreenkitError):
    """An external tool or optional component (ffmpeg, a model) is not available."""
