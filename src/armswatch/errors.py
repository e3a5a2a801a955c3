"""One root exception; every error says what went wrong and where."""

from __future__ import annotations

from pathlib import Path


class ArmswatchError(Exception):
    """Root of every error armswatch raises on purpose."""


class BadInputError(ArmswatchError):
    """An input file (or value) cannot be read; names the file and line when known."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}:{line}"
            where += ": "
        super().__init__(f"{where}{message}")
        self.reason = message


class UnknownFormatError(BadInputError):
    """A file whose format was not recognised by any reader."""


class ConfigError(ArmswatchError):
    """A setting or parameter is invalid."""


class StoreError(ArmswatchError):
    """The embedded store cannot be read or written."""
