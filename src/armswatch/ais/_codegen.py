"""Generate ``csrc/gen.h``, the spec-dependent half of the C kernels.

Every offset, width, sentinel and scale of every layout is written in as a constant, so
each field compiles to a few loads and shifts; so are the output plan of :mod:`._slots`
(which slot goes to which row of which buffer) and the framing constants of
:mod:`._frame`. The spec stays the single source: a test checks the header is current
(regenerate with ``python -m armswatch.ais._codegen``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from armswatch.ais import _frame as fr
from armswatch.ais._slots import (
    CAT_POSITION,
    CAT_STATIC,
    CLASS_CTYPES,
    CLASS_NAMES,
    COMMON_I8,
    COMMON_I32,
    COMMON_I64,
    LAYOUT_KEYS,
    LID,
    POSITION_PLAN,
    STATIC_PLAN,
    STATIC_STRING_COLUMNS,
    STATIC_TEXT_FIELDS,
    STATION_PLAN,
    Plan,
    layout_categories,
    numeric_fields,
    type_layouts,
)
from armswatch.ais._spec import LAYOUTS, Kind

TARGET = Path(__file__).with_name("csrc") / "gen.h"
_CTYPE = {"i8": "int64_t", "i4": "int32_t", "i1": "int8_t"}


def _extract_expr(start: int, width: int) -> str:
    """C expression for the unsigned bits [start, start+width) of p (6-bit values)."""
    c0, c1 = start // 6, (start + width - 1) // 6
    terms = []
    for c in range(c0, c1 + 1):
        shift = 6 * (c1 - c)
        terms.append(f"((int64_t)p[{c}] << {shift})" if shift else f"(int64_t)p[{c}]")
    drop = 6 * (c1 - c0 + 1) - (start - 6 * c0) - width
    expr = " | ".join(terms)
    if drop:
        expr = f"(({expr}) >> {drop})"
    return f"({expr}) & {(1 << width) - 1}"


def _field_lines(plan: Plan, si: int, start: int, key: str, indent: str) -> list[str]:
    name, _typ = plan.slots[si]
    f = LAYOUTS[key].offsets()[name][1]
    cls, row = plan.slot_cls[si], plan.slot_row[si]
    out = f"o_{CLASS_NAMES[cls]}[{row} * n + r]"
    ctype = CLASS_CTYPES[cls]
    body = [f"{indent}if (nb >= {start + f.width}) {{  /* {name} */",
            f"{indent}    raw = {_extract_expr(start, f.width)};"]
    if f.kind in (Kind.INT, Kind.ROT):
        body.append(f"{indent}    if (raw >= {1 << (f.width - 1)}) raw -= {1 << f.width};")
    inner = indent + "    "
    close = []
    if f.na is not None:
        body.append(f"{inner}if (raw != {f.na}) {{")
        close.append(f"{inner}}}")
        inner += "    "
    body.append(f"{inner}valid[{si} * n + r] = 1;")
    if f.kind is Kind.ROT:
        body.append(f"{inner}v = (double)raw / 4.733;")
        body.append(f"{inner}{out} = ({ctype})(raw >= 0 ? v * v : -v * v);")
    elif f.scale != 1.0:
        body.append(f"{inner}{out} = ({ctype})((double)raw / {f.scale!r});")
    else:
        body.append(f"{inner}{out} = ({ctype})raw;")
    body += close
    body.append(f"{indent}}}")
    return body


def _groups(keys: list[str]) -> list[list[str]]:
    """Layouts with the same fields share one case (1/2/3, 4/11)."""
    groups: dict[tuple[object, ...], list[str]] = {}
    for key in keys:
        groups.setdefault(LAYOUTS[key].fields, []).append(key)
    return list(groups.values())


def _fields_function(name: str, plan: Plan, keys: list[str]) -> list[str]:
    args = ", ".join(f"{CLASS_CTYPES[c]} *o_{CLASS_NAMES[c]}" for c in range(len(CLASS_NAMES)))
    lines = [
        f"static inline void {name}(const uint8_t *p, int64_t nb, int lid, int64_t r,",
        f"        int64_t n, {args}, uint8_t *valid)",
        "{",
        "    int64_t raw;",
        "    double v;",
        "    (void)v;",
        "    " + " ".join(f"(void)o_{c};" for c in CLASS_NAMES),
        "    switch (lid) {",
    ]
    for group in _groups(keys):
        fields = numeric_fields(group[0], plan.slots)
        if not fields:
            continue
        cases = " ".join(f"case {LID[k]}:" for k in group)
        lines.append(f"    {cases}  /* type {', '.join(group)}: {LAYOUTS[group[0]].title} */")
        for si, start in fields:
            lines += _field_lines(plan, si, start, group[0], "        ")
        lines.append("        break;")
    lines += ["    default:", "        break;", "    }", "}", ""]
    return lines


def _station_function() -> list[str]:
    """Base-station date and time: all six parts, or 0 when any is missing."""
    lines = [
        "static inline int station_parts(const uint8_t *p, int64_t nb, int lid, int64_t *out)",
        "{",
        "    int64_t raw;",
        "    switch (lid) {",
    ]
    for group in _groups([k for k in LAYOUT_KEYS if LAYOUTS[k].msg_type in (4, 11)]):
        lines.append(f"    {' '.join(f'case {LID[k]}:' for k in group)}")
        offs = LAYOUTS[group[0]].offsets()
        for i, (name, _t) in enumerate(STATION_PLAN.slots):
            start, f = offs[name]
            lines.append(f"        if (nb < {start + f.width}) return 0;  /* {name} */")
            lines.append(f"        raw = {_extract_expr(start, f.width)};")
            if f.na is not None:
                lines.append(f"        if (raw == {f.na}) return 0;")
            lines.append(f"        out[{i}] = raw;")
        lines.append("        return 1;")
    lines += ["    default:", "        return 0;", "    }", "}", ""]
    return lines


def _text_function() -> list[str]:
    """Start bit and characters (-1: to the end of the payload) of each text field."""
    lines = [
        "static inline void text_fields(int lid, int64_t *start, int64_t *chars)",
        "{",
        "    for (int s = 0; s < N_TEXT_FIELDS; s++) {",
        "        start[s] = 0;",
        "        chars[s] = 0;",
        "    }",
        "    switch (lid) {",
    ]
    for key in LAYOUT_KEYS:
        offs = LAYOUTS[key].offsets()
        body = []
        for s, name in enumerate(STATIC_TEXT_FIELDS):
            if name in offs:
                start, f = offs[name]
                chars = -1 if f.variable else f.width // 6
                body.append(f"        start[{s}] = {start}; chars[{s}] = {chars};  /* {name} */")
        if body:
            lines.append(f"    case {LID[key]}:  /* type {key} */")
            lines += [*body, "        break;"]
    lines += ["    default:", "        break;", "    }", "}", ""]
    return lines


def _plan_defines(prefix: str, plan: Plan) -> list[str]:
    out = [f"#define {prefix}_NSLOTS {len(plan.slots)}"]
    for c, rows in enumerate(plan.class_rows):
        out.append(f"#define {prefix}_ROWS_{CLASS_NAMES[c].upper()} {rows}")
    for si, (name, _t) in enumerate(plan.slots):
        out.append(f"#define {prefix}_SLOT_{name.upper()} {si}")
        out.append(f"#define {prefix}_ROW_{name.upper()} {plan.slot_row[si]}")
    return out


def _enum(prefix: str, names: list[str], count: str) -> list[str]:
    items = [f"    {prefix}{n.upper()} = {i}," for i, n in enumerate(names)]
    return ["enum {", *items, f"    {count} = {len(names)}", "};"]


def _c_array(ctype: str, name: str, values: list[int]) -> str:
    return f"static const {ctype} {name}[{len(values)}] = {{{', '.join(map(str, values))}}};"


def generate() -> str:
    lines = [
        "/* GENERATED by armswatch.ais._codegen from the layout spec and the output plan:",
        " * do not edit. Regenerate with `python -m armswatch.ais._codegen`; a test checks",
        " * it is current. */",
        "#ifndef ARMSWATCH_AIS_GEN_H",
        "#define ARMSWATCH_AIS_GEN_H",
        "#include <stdint.h>",
        "",
        "#define NO_TS ((int64_t)(-9223372036854775807LL - 1))",
        f"#define MAX_PARTS {fr.MAX_PARTS}",
        f"#define PART_CHARS {fr.PART_CHARS}",
        f"#define SLOT_WORDS {fr.SLOT_WORDS}",
        f"#define CAT_POSITION {CAT_POSITION}",
        f"#define CAT_STATIC {CAT_STATIC}",
        "",
        *_enum("C_", [n for n, _d in fr.COUNTERS], "N_COUNTERS"),
        *_enum("S_", list(fr.STATE), "N_STATE"),
        *_enum("TS_", ["none", *fr.TS_NAMES[1:]], "N_TS"),
        *_enum("SM_", list(fr.SLOT_META), "N_SLOT_META"),
        *_enum("STOP_", ["done", "lines", "msgs", "payload", "sources"], "N_STOP"),
        *_enum("COM64_", list(COMMON_I64), "N_COM64"),
        *_enum("COM32_", list(COMMON_I32), "N_COM32"),
        *_enum("COM8_", list(COMMON_I8), "N_COM8"),
        "",
        "typedef struct {",
        *[f"    {_CTYPE[t]} {n};  /* {d} */" for n, t, d in fr.MSG_FIELDS],
        "} Msg;",
        f"_Static_assert(sizeof(Msg) == {fr.MSG_DTYPE.itemsize}, \"Msg layout\");",
        "",
        f"#define N_LAYOUTS {len(LAYOUT_KEYS)}",
        *[f"#define LID_{k.upper()} {LID[k]}" for k in LAYOUT_KEYS],
        _c_array("int8_t", "TYPE_LID", type_layouts()),
        _c_array("int8_t", "LID_CAT", layout_categories()),
        _c_array("int16_t", "LID_MIN_BITS", [LAYOUTS[k].min_bits for k in LAYOUT_KEYS]),
        "",
        *_plan_defines("POS", POSITION_PLAN),
        *_plan_defines("STA", STATIC_PLAN),
        f"#define N_TEXT_FIELDS {len(STATIC_TEXT_FIELDS)}",
        *[f"#define TF_{n.upper()} {i}" for i, n in enumerate(STATIC_TEXT_FIELDS)],
        f"#define N_STRING_COLUMNS {len(STATIC_STRING_COLUMNS)}",
        *[f"#define SC_{n.upper()} {i}" for i, (n, _c) in enumerate(STATIC_STRING_COLUMNS)],
        "",
    ]
    pos_keys = [k for k in LAYOUT_KEYS if layout_categories()[LID[k]] & CAT_POSITION]
    sta_keys = [k for k in LAYOUT_KEYS if layout_categories()[LID[k]] & CAT_STATIC]
    lines += _fields_function("position_fields", POSITION_PLAN, pos_keys)
    lines += _fields_function("static_fields", STATIC_PLAN, sta_keys)
    lines += _station_function()
    lines += _text_function()
    lines.append("#endif")
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.write_text(generate(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
