"""Typed records shared by every capability: entities, links and table schemas."""

from armswatch.model.entities import (
    Address,
    Entity,
    Identifier,
    IdKind,
    Link,
    LinkKind,
    Name,
    NameKind,
    Schema,
    is_partial_date,
)

__all__ = [
    "Address",
    "Entity",
    "IdKind",
    "Identifier",
    "Link",
    "LinkKind",
    "Name",
    "NameKind",
    "Schema",
    "is_partial_date",
]
