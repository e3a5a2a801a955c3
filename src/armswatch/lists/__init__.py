"""Sanctions lists read into the shared entity model, and the store that keeps them.

One reader per publisher format, chosen from the file's content::

    from armswatch.lists import read_list, read_lists, load_store
    data = read_list("sdn.csv")          # OFAC set: alt/add/comments found beside it
    data = read_lists(["lists/"])        # every list in a folder
    data.entities, data.links, data.meta
    data = load_store()                  # what `armswatch lists load/update` stored

Bad files raise :class:`armswatch.errors.BadInputError` (file and line); recoverable bad
rows are skipped and listed in ``ListMeta.skipped``.
"""

from typing import TYPE_CHECKING, Any

from armswatch.lists._detect import FORMATS, ListFormat, detect, read_list, read_lists
from armswatch.lists._types import ListData, ListMeta, PendingLink, SkippedRow
from armswatch.lists.diff import EntityChange, FieldChange, ListDiff, diff_lists

if TYPE_CHECKING:
    from armswatch.lists.store import ListStore, Snapshot, load_store

_LAZY = {"ListStore", "Snapshot", "load_store"}  # the store pulls in pyarrow: import on use


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from armswatch.lists import store

        return getattr(store, name)
    raise AttributeError(f"module 'armswatch.lists' has no attribute {name!r}")

__all__ = [
    "FORMATS",
    "EntityChange",
    "FieldChange",
    "ListData",
    "ListDiff",
    "ListFormat",
    "ListMeta",
    "ListStore",
    "PendingLink",
    "SkippedRow",
    "Snapshot",
    "detect",
    "diff_lists",
    "load_store",
    "read_list",
    "read_lists",
]
