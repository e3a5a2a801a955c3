"""Which reader reads a file: decided from the file's content, never its name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from armswatch.errors import BadInputError, UnknownFormatError
from armswatch.lists import eu_xml, gur_csv, ofac_csv, ofac_xml, uk, un_xml
from armswatch.lists._common import NameIndex, resolve_links
from armswatch.lists._types import ListData, SkippedRow

HEAD_BYTES = 65536


@dataclass(frozen=True, slots=True)
class ListFormat:
    """One file format: a content sniffer and a reader (None for companion files,
    which are read through their main file)."""

    name: str
    label: str
    sniff: Callable[[str], bool]
    read: Callable[[Path], ListData] | None
    main_format: str | None = None  # for companions: the format that reads them


FORMATS: tuple[ListFormat, ...] = (
    ListFormat("un_xml", "UN Security Council Consolidated List (XML)", un_xml.sniff, un_xml.read),
    ListFormat("ofac_xml", "OFAC SDN / consolidated list (sdn.xml)", ofac_xml.sniff,
               ofac_xml.read),
    ListFormat("eu_xml", "EU Financial Sanctions Files (FSF XML 1.1)", eu_xml.sniff,
               eu_xml.read),
    ListFormat("uk_fcdo_xml", "UK Sanctions List (FCDO XML)", uk.sniff_fcdo, uk.read_fcdo),
    ListFormat("uk_ofsi_csv", "UK OFSI Consolidated List (ConList.csv)", uk.sniff_ofsi,
               uk.read_ofsi),
    ListFormat("gur_csv", "GUR shadow-fleet vessel list (CSV; not a sanctions list)",
               gur_csv.sniff, gur_csv.read),
    ListFormat("ofac_csv", "OFAC SDN / consolidated legacy CSV (sdn.csv, cons_prim.csv)",
               ofac_csv.sniff_main, ofac_csv.read),
    ListFormat("ofac_csv_alt", "OFAC alias companion (alt.csv)", ofac_csv.sniff_alt, None,
               "ofac_csv"),
    ListFormat("ofac_csv_add", "OFAC address companion (add.csv)", ofac_csv.sniff_add, None,
               "ofac_csv"),
    ListFormat("ofac_csv_comments", "OFAC remarks companion (sdn_comments.csv)",
               ofac_csv.sniff_comments, None, "ofac_csv"),
)


def known_formats() -> str:
    return ", ".join(f.label for f in FORMATS if f.read is not None)


def read_head(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(HEAD_BYTES)
    if not data.strip(b"\x00\x1a \t\r\n"):
        raise BadInputError("file is empty (no records)", path, 1)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\x1a", "")


def detect(path: Path) -> ListFormat:
    """The format of ``path`` from its first 64 KiB; UnknownFormatError when none fits."""
    if not path.is_file():
        raise BadInputError("no such file", path)
    head = read_head(path)
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    raise UnknownFormatError(f"unknown list format; known formats: {known_formats()}", path, 1)


def read_list(path: str | Path) -> ListData:
    """Read one sanctions list file (format detected from its content).

    OFAC's CSV set is read from its main file (``sdn.csv`` / ``cons_prim.csv``); the
    alias, address and comments files beside it are found and read with it.
    """
    path = Path(path)
    fmt = detect(path)
    if fmt.read is None:
        raise BadInputError(
            f"this is an {fmt.label}; read the main file of its set instead "
            "(its companions are found beside it)", path, 1)
    return fmt.read(path)


def _expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(files named explicitly, files found in folders), each sorted and de-duplicated."""
    explicit: list[Path] = []
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(f for f in sorted(p.rglob("*"))
                         if f.is_file() and not any(part.startswith(".") for part in
                                                    f.relative_to(p).parts))
        elif p.exists():
            explicit.append(p)
        else:
            raise BadInputError("no such file or folder", p)
    return explicit, found


def read_lists(paths: Sequence[str | Path], *, unique_sources: bool = True) -> ListData:
    """Read every list in the given files and folders.

    Files named explicitly must be lists (else BadInputError); files met while walking a
    folder that are not lists (READMEs, other CSVs) are passed over and reported in
    ``ignored``. With ``unique_sources`` two versions of the same list are an error.
    """
    explicit, found = _expand(paths)
    formats: dict[Path, ListFormat] = {}
    ignored: list[SkippedRow] = []
    for path in explicit:
        formats[path.resolve()] = detect(path)
    for path in found:
        key = path.resolve()
        if key in formats:
            continue
        try:
            formats[key] = detect(path)
        except BadInputError as exc:
            ignored.append(SkippedRow(str(path), 0, exc.reason))
    out = ListData()
    consumed: set[Path] = set()
    for path, fmt in formats.items():
        if fmt.read is None:
            continue
        data = fmt.read(path)
        consumed.update(Path(f).resolve() for f in data.meta[0].files)
        out.extend(data)
    named = {p.resolve() for p in explicit}
    for path, fmt in formats.items():
        if fmt.read is None and path not in consumed:
            reason = f"{fmt.label} without its main file beside it"
            if path in named:
                raise BadInputError(reason, path, 1)
            ignored.append(SkippedRow(str(path), 0, reason))
    out.ignored.extend(ignored)
    if unique_sources:
        check_unique_sources(out)
    if len(out.meta) > 1:
        _resolve_across(out)
    return out


def _resolve_across(data: ListData) -> None:
    """Resolve each list's unresolved link names against all the lists read together
    (e.g. an OFAC non-SDN entry ``Linked To:`` an SDN entity)."""
    index = NameIndex(data.entities)
    for meta in data.meta:
        links, still = resolve_links(index, meta.unresolved, meta.source)
        data.links.extend(links)
        meta.link_count += len(links)
        meta.unresolved = still


def check_unique_sources(data: ListData) -> None:
    by_source: dict[str, list[str]] = {}
    for m in data.meta:
        by_source.setdefault(m.source, []).append(m.path)
    dupes = {s: ps for s, ps in by_source.items() if len(ps) > 1}
    if dupes:
        src, ps = next(iter(dupes.items()))
        raise BadInputError(
            f"two versions of list {src} given ({', '.join(ps)}); give one of them", ps[1])
