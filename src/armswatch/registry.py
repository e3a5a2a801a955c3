"""Algorithms registered by name and version.

Once results depend on an algorithm, it is never edited in place: a changed algorithm
gets a new version next to the old one, so any past decision can be reproduced by the
``name@version`` recorded with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from armswatch.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """A named family of versioned algorithms (e.g. screening matchers, detectors)."""

    def __init__(self, family: str) -> None:
        self.family = family
        self._items: dict[tuple[str, str], T] = {}
        self._default: dict[str, str] = {}

    def register(self, name: str, version: str, *, default: bool = False) -> Callable[[T], T]:
        def deco(obj: T) -> T:
            key = (name, version)
            if key in self._items:
                raise ConfigError(f"{self.family}: {name}@{version} is already registered")
            self._items[key] = obj
            if default or name not in self._default:
                self._default[name] = version
            return obj

        return deco

    def get(self, ref: str) -> T:
        """Look up ``name`` (its default version) or ``name@version``."""
        name, _, version = ref.partition("@")
        version = version or self._default.get(name, "")
        try:
            return self._items[(name, version)]
        except KeyError:
            known = ", ".join(self.refs()) or "none"
            raise ConfigError(f"unknown {self.family} algorithm {ref!r}; known: {known}") from None

    def ref(self, name: str) -> str:
        """The full ``name@version`` of a name's default version."""
        if name not in self._default:
            raise ConfigError(f"unknown {self.family} algorithm {name!r}")
        return f"{name}@{self._default[name]}"

    def refs(self) -> list[str]:
        return sorted(f"{n}@{v}" for n, v in self._items)
