"""The one exception type of the library, and the exit codes of the contract.

Every failure a user can cause (a file that cannot be read, a timestamp that
cannot be parsed, a bad option) is raised as :class:`ScreenkitError`. It knows
where the problem is, so the CLI can print it like a compiler does
(``manifest.yaml:23:7: message``) and exit with the contract's code.

Only what the user can fix is a ScreenkitError. Anything else that escapes a
command is a bug: the CLI says so and exits with :data:`EXIT_INTERNAL`.
"""

from __future__ import annotations

from os import PathLike, fspath

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
        parts = [self.path] if self.path else []
        if self.path and self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        location = self.location
        return f"{location}: {self.message}" if location else self.message

    def with_path(self, path: str | PathLike[str]) -> ScreenkitError:
        """Fill in the path when the raiser only knew the line."""
        if self.path is None:
            self.path = fspath(path)
        return self


class ToolMissingError(ScreenkitError):
    """An external tool or optional component (ffmpeg, a model) is not available."""
