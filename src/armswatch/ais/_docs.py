"""Generate the reference part of ``docs/ais.md`` from the layout spec and table columns.

``python -m armswatch.ais._docs`` rewrites the text between the GENERATED markers; a
test checks the file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from armswatch.ais._result import OTHER_COLUMNS, POSITION_EXTRA_COLUMNS, STATIC_EXTRA_COLUMNS
from armswatch.ais._spec import LAYOUTS, Kind
from armswatch.model.tables import POSITION_COLUMNS, STATIC_COLUMNS, markdown_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "ais.md"
BEGIN = "<!-- BEGIN GENERATED: python -m armswatch.ais._docs -->"
END = "<!-- END GENERATED -->"


def _layout_md(key: str) -> str:
    lay = LAYOUTS[key]
    variable = " + variable text" if any(f.variable for f in lay.fields) else ""
    rows = [
        f"#### Type {key}: {lay.title}",
        "",
        f"{lay.bits} bits{variable}; decoded in full from {lay.min_bits} bits "
        "(shorter: trailing fields null).",
        "",
        "| bits | field | width | kind | scale | n/a | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for start, f in lay.offsets().values():
        scale = "" if f.scale == 1.0 else f"1/{f.scale:g}"
        na = "" if f.na is None else str(f.na)
        end = "…" if f.variable else str(start + f.width - 1)
        kind = "spare" if f.kind is Kind.SPARE else f.kind.value
        rows.append(f"| {start}-{end} | `{f.name}` | {f.width} | {kind} | {scale} | {na} "
                    f"| {f.doc} |")
    return "\n".join(rows)


def generate() -> str:
    parts = [
        BEGIN, "",
        "### Tables", "",
        "`positions` (types 1, 2, 3, 4, 9, 11, 18, 19, 21, 27): the shared columns", "",
        markdown_table(POSITION_COLUMNS), "", "then the columns added by `armswatch.ais`:", "",
        markdown_table(POSITION_EXTRA_COLUMNS), "",
        "`statics` (types 5, 19, 21, 24): the shared columns", "",
        markdown_table(STATIC_COLUMNS), "", "then:", "", markdown_table(STATIC_EXTRA_COLUMNS),
        "", "`other` (every other type, kept raw):", "", markdown_table(OTHER_COLUMNS), "",
        "### Message layouts", "",
        "Physical value = raw / scale; a raw value equal to *n/a* is stored as null.", "",
    ]
    parts += [_layout_md(k) + "\n" for k in LAYOUTS]
    parts.append(END)
    return "\n".join(parts)


def render(text: str) -> str:
    """``text`` with its generated section replaced by the current one."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + generate() + tail


def main() -> int:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
