"""Sanctions lists read into the shared entity model.

One reader per publisher format, chosen from the file's content::

    from armswatch.lists import read_list, read_lists
    data = read_list("sdn.csv")          # OFAC set: alt/add/comments found beside it
    data = read_lists(["lists/"])        # every list in a folder
    data.entities, data.links, data.meta

Bad files raise :class:`armswatch.errors.BadInputError` (file and line); recoverable bad
rows are skipped and listed in ``ListMeta.skipped``.
"""

from armswatch.lists._detect import FORMATS, ListFormat, detect, read_list, read_lists
from armswatch.lists._types import ListData, ListMeta, SkippedRow

__all__ = [
    "FORMATS",
    "ListData",
    "ListFormat",
    "ListMeta",
    "SkippedRow",
    "detect",
    "read_list",
    "read_lists",
]
