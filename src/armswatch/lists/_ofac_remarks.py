"""The facts OFAC packs into the free-text Remarks field of its legacy CSV (pure).

A remark is a ``;``-separated series of segments such as ``DOB 21 Jan 1971``,
``alt. Passport P229856 (Tunisia) issued 01 Nov 2002``, ``Vessel Registration
Identification IMO 9187629``, ``MMSI 572469210``, ``Former Vessel Flag Malta``,
``a.k.a. 'KAMEL'`` or ``Linked To: HIZBALLAH``. The labels below were read off the
OFAC files themselves (every label that occurs with an identifier-like value).
Segments that carry no fact we model stay in the entity's remarks verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from armswatch.lists._dates import parse_dates, parse_one
from armswatch.model import Identifier, IdKind, NameKind

# Identifier labels -> kind (specs as data). Any value that reads ``IMO nnnnnnn`` is an IMO
# number whatever its label (OFAC writes vessel IMOs under "Vessel Registration
# Identification" and company IMOs under "Company Number" / "Identification Number").
ID_LABELS: dict[str, IdKind] = {
    "Passport": IdKind.PASSPORT,
    "Diplomatic Passport": IdKind.PASSPORT,
    "Passport Booklet": IdKind.PASSPORT,
    "National ID No.": IdKind.NATIONAL_ID,
    "Cedula No.": IdKind.NATIONAL_ID,
    "C.U.R.P.": IdKind.NATIONAL_ID,
    "Identification Number": IdKind.NATIONAL_ID,
    "D.N.I.": IdKind.NATIONAL_ID,
    "Electoral Registry No.": IdKind.NATIONAL_ID,
    "Personal ID Card": IdKind.NATIONAL_ID,
    "National Foreign ID Number": IdKind.NATIONAL_ID,
    "Credencial electoral": IdKind.NATIONAL_ID,
    "SSN": IdKind.NATIONAL_ID,
    "Residency Number": IdKind.NATIONAL_ID,
    "I.F.E.": IdKind.NATIONAL_ID,
    "Turkish Identification Number": IdKind.NATIONAL_ID,
    "Numero de Identidad": IdKind.NATIONAL_ID,
    "Citizen's Card Number": IdKind.NATIONAL_ID,
    "Kenyan ID No.": IdKind.NATIONAL_ID,
    "Tazkira National ID Card": IdKind.NATIONAL_ID,
    "Refugee ID Card": IdKind.NATIONAL_ID,
    "C.U.I.P.": IdKind.NATIONAL_ID,
    "Tax ID No.": IdKind.TAX_ID,
    "R.F.C.": IdKind.TAX_ID,
    "RFC": IdKind.TAX_ID,
    "V.A.T. Number": IdKind.TAX_ID,
    "C.U.I.T.": IdKind.TAX_ID,
    "C.U.I.": IdKind.TAX_ID,
    "US FEIN": IdKind.TAX_ID,
    "NIT #": IdKind.TAX_ID,
    "RUC #": IdKind.TAX_ID,
    "C.I.F.": IdKind.TAX_ID,
    "RTN": IdKind.TAX_ID,
    "Italian Fiscal Code": IdKind.TAX_ID,
    "Numero Unico de Identificacao Tributaria (NUIT)": IdKind.TAX_ID,
    "Registration Number": IdKind.REGISTRATION,
    "Registration ID": IdKind.REGISTRATION,
    "Government Gazette Number": IdKind.REGISTRATION,
    "Business Registration Number": IdKind.REGISTRATION,
    "Folio Mercantil No.": IdKind.REGISTRATION,
    "Company Number": IdKind.REGISTRATION,
    "UK Company Number": IdKind.REGISTRATION,
    "Commercial Registry Number": IdKind.REGISTRATION,
    "Unified Social Credit Code (USCC)": IdKind.REGISTRATION,
    "United Social Credit Code Certificate (USCCC)": IdKind.REGISTRATION,
    "Matricula Mercantil No": IdKind.REGISTRATION,
    "Legal Entity Number": IdKind.REGISTRATION,
    "C.R. No.": IdKind.REGISTRATION,
    "Economic Register Number (CBLS)": IdKind.REGISTRATION,
    "Trade License No.": IdKind.REGISTRATION,
    "Chamber of Commerce Number": IdKind.REGISTRATION,
    "Public Registration Number": IdKind.REGISTRATION,
    "Central Registration System Number": IdKind.REGISTRATION,
    "Istanbul Chamber of Comm. No.": IdKind.REGISTRATION,
    "Enterprise Number": IdKind.REGISTRATION,
    "Business Number": IdKind.REGISTRATION,
    "Registered Charity No.": IdKind.REGISTRATION,
    "Branch Unit Number": IdKind.REGISTRATION,
    "Dubai Chamber of Commerce Membership No.": IdKind.REGISTRATION,
    "LE Number": IdKind.REGISTRATION,
    "Certificate of Incorporation Number": IdKind.REGISTRATION,
    "Romanian C.R.": IdKind.REGISTRATION,
    "Chinese Commercial Code": IdKind.REGISTRATION,
    "D-U-N-S Number": IdKind.REGISTRATION,
    "License": IdKind.REGISTRATION,
    "Permit Number": IdKind.REGISTRATION,
    "Vessel Registration Identification": IdKind.REGISTRATION,
    "Aircraft Tail Number": IdKind.REGISTRATION,
    "Previous Aircraft Tail Number": IdKind.REGISTRATION,
    "SWIFT/BIC": IdKind.SWIFT,
    "MMSI": IdKind.MMSI,
    "Other Vessel Call Sign": IdKind.CALL_SIGN,
    "Aircraft Manufacturer's Serial Number (MSN)": IdKind.AIRCRAFT_SERIAL,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": IdKind.AIRCRAFT_SERIAL,
    "Aircraft Serial Identification": IdKind.AIRCRAFT_SERIAL,
    "Aircraft Mode S Transponder Code": IdKind.OTHER,
    "Driver's License No.": IdKind.OTHER,
    "Birth Certificate Number": IdKind.OTHER,
    "Travel Document Number": IdKind.OTHER,
    "Cartilla de Servicio Militar Nacional": IdKind.OTHER,
    "Immigration No.": IdKind.OTHER,
    "Pilot License Number": IdKind.OTHER,
    "BIK (RU)": IdKind.OTHER,
    "ISIN": IdKind.OTHER,
}

ALIAS_LABELS: dict[str, NameKind] = {"a.k.a.": NameKind.AKA, "f.k.a.": NameKind.FKA,
                                     "n.k.a.": NameKind.NKA}

# Labels whose value is plain text (handled one by one in parse_remarks).
TEXT_LABELS = (
    "DOB", "POB", "nationality", "citizen", "Nationality of Registration", "Gender",
    "Former Vessel Flag", "Vessel Flag", "Other Vessel Flag", "Vessel Year of Build",
    "Other Vessel Type", "Aircraft Model", "Aircraft Manufacture Date", "Aircraft Operator",
    "Digital Currency Address -",
)


def _alternation(labels: list[str]) -> str:
    return "|".join(re.escape(lab) for lab in sorted(labels, key=len, reverse=True))


_LABEL = re.compile(
    r"^(?:alt\.\s+)?(?P<label>" + _alternation([*ID_LABELS, *TEXT_LABELS]) + r")\s+(?P<value>.+)$"
)
_ALIAS = re.compile(r"^(?P<label>a\.k\.a\.|f\.k\.a\.|n\.k\.a\.),?\s+(?P<value>.+)$")
_LINKED = re.compile(r"^Linked To:\s*(?P<value>.+)$", re.IGNORECASE)
_SPLIT = re.compile(r";\s+")
_IMO_ANYWHERE = re.compile(r"\bIMO\s*(\d{7})\b")
_IMO_VALUE = re.compile(r"^IMO\s*(\d{7})\b")
_ID_VALUE = re.compile(
    r"^(?P<value>.+?)(?:\s*\((?P<country>[^()]*)\))?(?P<rest>\s+(?:issued|expires)\b.*)?$"
)


@dataclass(slots=True)
class RemarkFacts:
    """Everything :func:`parse_remarks` found; ``other`` keeps the unparsed segments."""

    names: list[tuple[NameKind, str]] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_dates_approx: bool = False
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    gender: str | None = None
    flags: list[str] = field(default_factory=list)
    past_flags: list[str] = field(default_factory=list)
    vessel_types: list[str] = field(default_factory=list)
    build_date: str | None = None
    aircraft_model: str | None = None
    operators: list[str] = field(default_factory=list)  # names, e.g. Aircraft Operator
    linked_to: list[str] = field(default_factory=list)  # "Linked To:" names
    other: list[str] = field(default_factory=list)


def split_segments(text: str) -> list[str]:
    """Remarks -> segments, without the trailing full stop."""
    text = text.strip()
    if not text or text == "-0-":
        return []
    segs = [s.strip() for s in _SPLIT.split(text)]
    if segs and segs[-1].endswith("."):
        segs[-1] = segs[-1][:-1]
    return [s for s in segs if s]


def _unquote(value: str) -> str:
    v = value.strip().rstrip(".").strip()
    if len(v) >= 2 and v[0] == "'" and v[-1] == "'":
        v = v[1:-1]
    return " ".join(v.split())


def _identifier(kind: IdKind, label: str, value: str) -> Identifier:
    if m := _IMO_VALUE.match(value):
        return Identifier(IdKind.IMO, m.group(1), note=label)
    m = _ID_VALUE.match(value)
    assert m is not None  # the pattern matches any non-empty text
    num = m.group("value").strip().rstrip(".")
    note_parts = [] if kind is not IdKind.REGISTRATION and kind is not IdKind.OTHER else [label]
    if m.group("rest"):
        note_parts.append(m.group("rest").strip())
    country = m.group("country")
    return Identifier(kind, num, country=country.strip() if country else None,
                      note="; ".join(note_parts) or None)


def _text_fact(facts: RemarkFacts, label: str, value: str) -> bool:
    value = value.strip().rstrip(".").strip()
    if label == "DOB":
        dates, approx = parse_dates(value)
        if not dates:
            return False
        facts.birth_dates.extend(d for d in dates if d not in facts.birth_dates)
        facts.birth_dates_approx |= approx
    elif label == "POB":
        facts.birth_places.append(value)
    elif label in ("nationality", "citizen"):
        facts.nationalities.append(value)
    elif label == "Nationality of Registration":
        facts.countries.append(value)
    elif label == "Gender":
        facts.gender = value.lower()
    elif label == "Former Vessel Flag":
        facts.past_flags.append(value)
    elif label in ("Vessel Flag", "Other Vessel Flag"):
        facts.flags.append(value)
    elif label == "Other Vessel Type":
        facts.vessel_types.append(value)
    elif label in ("Vessel Year of Build", "Aircraft Manufacture Date"):
        facts.build_date = parse_one(value) or facts.build_date
    elif label == "Aircraft Model":
        facts.aircraft_model = value
    elif label == "Aircraft Operator":
        facts.operators.append(value)
    elif label == "Digital Currency Address -":
        currency, _, address = value.partition(" ")
        if not address:
            return False
        facts.identifiers.append(Identifier(IdKind.CRYPTO, address.strip(), note=currency))
    return True


def parse_remarks(text: str) -> RemarkFacts:
    """Parse one OFAC Remarks field (sdn.csv column 12 plus its sdn_comments continuation)."""
    facts = RemarkFacts()
    for seg in split_segments(text):
        if m := _ALIAS.match(seg):
            name = _unquote(m.group("value"))
            if name:
                facts.names.append((ALIAS_LABELS[m.group("label")], name))
            continue
        if m := _LINKED.match(seg):
            facts.linked_to.append(" ".join(m.group("value").rstrip(".").split()))
            continue
        if m := _LABEL.match(seg):
            label, value = m.group("label"), m.group("value")
            if label in ID_LABELS:
                facts.identifiers.append(_identifier(ID_LABELS[label], label, value))
                continue
            if _text_fact(facts, label, value):
                continue
        facts.other.append(seg)
    # Never lose an IMO number, whatever segment it sits in.
    have = {i.value for i in facts.identifiers if i.kind is IdKind.IMO}
    for imo in _IMO_ANYWHERE.findall(text):
        if imo not in have:
            facts.identifiers.append(Identifier(IdKind.IMO, imo, note="remarks"))
            have.add(imo)
    return facts
