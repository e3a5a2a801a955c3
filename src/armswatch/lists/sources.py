"""Where ``armswatch lists update`` downloads each list: one table, official publishers only.

Override any URL (mirrors, an archived copy, tests) with a JSON file given as
``--sources FILE`` or ``$ARMSWATCH_LIST_SOURCES``::

    {"un_sc_sanctions": {"consolidated.xml": "file:///data/un.xml"}}
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import orjson

from armswatch.errors import ConfigError

ENV_SOURCES = "ARMSWATCH_LIST_SOURCES"

_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


@dataclass(frozen=True, slots=True)
class ListSource:
    """One list: its code, publisher, and the files to fetch (local name, URL). The first
    file is the one the list is read from; the others are its companions."""

    code: str
    publisher: str
    files: tuple[tuple[str, str], ...]
    page: str  # the publisher's page that documents the list and its format

    @property
    def main_file(self) -> str:
        return self.files[0][0]


SOURCES: tuple[ListSource, ...] = (
    ListSource(
        "us_ofac_sdn", "US Treasury OFAC",
        (("sdn.csv", _OFAC + "SDN.CSV"), ("alt.csv", _OFAC + "ALT.CSV"),
         ("add.csv", _OFAC + "ADD.CSV"), ("sdn_comments.csv", _OFAC + "SDN_COMMENTS.CSV")),
        "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
    ),
    ListSource(
        "us_ofac_cons", "US Treasury OFAC",
        (("cons_prim.csv", _OFAC + "CONS_PRIM.CSV"), ("cons_alt.csv", _OFAC + "CONS_ALT.CSV"),
         ("cons_add.csv", _OFAC + "CONS_ADD.CSV"),
         ("cons_comments.csv", _OFAC + "CONS_COMMENTS.CSV")),
        "https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",
    ),
    ListSource(
        "un_sc_sanctions", "United Nations Security Council",
        (("consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"),),
        "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
    ),
    ListSource(
        "eu_fsf", "European Commission (FISMA), EU Financial Sanctions Files",
        (("eu_fsf.xml", "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
                        "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"),),
        "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
    ),
    ListSource(
        "gb_fcdo_sanctions", "UK Foreign, Commonwealth & Development Office",
        (("UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"),),
        "https://www.gov.uk/government/publications/the-uk-sanctions-list",
    ),
)


def sources(overrides: str | Path | None = None) -> tuple[ListSource, ...]:
    """The table above with URLs replaced from a JSON file (argument or environment)."""
    path = overrides or os.environ.get(ENV_SOURCES)
    if not path:
        return SOURCES
    try:
        doc = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read list sources file {path}: {exc}") from None
    known = {s.code: s for s in SOURCES}
    out = dict(known)
    for code, files in doc.items():
        if code not in known:
            raise ConfigError(f"{path}: unknown list {code!r}; known: {', '.join(known)}")
        names = dict(known[code].files)
        for name, url in files.items():
            if name not in names:
                raise ConfigError(f"{path}: list {code} has no file {name!r}; "
                                  f"files: {', '.join(names)}")
            names[name] = str(url)
        out[code] = replace(known[code], files=tuple(names.items()))
    return tuple(out.values())


def select(all_sources: tuple[ListSource, ...], codes: list[str] | None) -> list[ListSource]:
    if not codes:
        return list(all_sources)
    known = {s.code: s for s in all_sources}
    bad = [c for c in codes if c not in known]
    if bad:
        raise ConfigError(f"unknown list {bad[0]!r}; known: {', '.join(known)}")
    return [known[c] for c in codes]
