"""Errors raised by the engine seam (all under :class:`armswatch.errors.ArmswatchError`)."""

from __future__ import annotations

from armswatch.errors import ArmswatchError, ConfigError


class UnportableSqlError(ConfigError):
    """SQL uses a construct that would run differently (or not at all) on another engine."""


class EngineUnavailableError(ConfigError):
    """The requested engine cannot run here (missing package or Java)."""


class EngineError(ArmswatchError):
    """An engine failed to run a step; names the step and shows the SQL it ran."""

    def __init__(self, step: str, message: str, sql: str | None = None) -> None:
        self.step = step
        self.sql = sql
        text = f"step {step!r} failed: {message}"
        if sql:
            text += f"\n--- SQL sent to the engine ---\n{sql}"
        super().__init__(text)
