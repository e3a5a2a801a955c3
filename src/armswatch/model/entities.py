"""The entity model shared by list readers, screening, networks and risk.

One record type, :class:`Entity`, covers people, organisations, companies, vessels and
aircraft: sanctions lists mix them freely and most facts (names, identifiers, countries,
programmes) are common. Schema-specific facts (a vessel's flag, a person's birth date)
are optional fields. Links between entities (ownership, management, association) are
separate :class:`Link` records, as in FollowTheMoney, not fields.

Everything here is pure data: no I/O. See :mod:`armswatch.model.ftm` for the
FollowTheMoney JSON export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Schema(StrEnum):
    """Entity kinds, named as FollowTheMoney schemata."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    LEGAL_ENTITY = "LegalEntity"
    VESSEL = "Vessel"
    AIRPLANE = "Airplane"


class NameKind(StrEnum):
    """How a name relates to its entity."""

    PRIMARY = "primary"
    AKA = "aka"  # also known as (strong alias)
    FKA = "fka"  # formerly known as / former name (vessels: previous names)
    NKA = "nka"  # now known as
    WEAK = "weak"  # weak / low-quality alias (OFAC "weak aka", UN quality "Low")


class IdKind(StrEnum):
    """Kinds of identifiers found on sanctions lists."""

    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    REGISTRATION = "registration"  # company/aircraft registration number
    TAX_ID = "tax_id"
    SWIFT = "swift"
    CRYPTO = "crypto"  # digital currency address
    AIRCRAFT_SERIAL = "aircraft_serial"
    OTHER = "other"


class LinkKind(StrEnum):
    """Relations between entities."""

    OWNER = "owner"  # source owns target (share_pct when known)
    OPERATOR = "operator"  # source operates target (commercial operator)
    MANAGER = "manager"  # ship manager / ISM manager
    ASSOCIATE = "associate"  # generic association, OFAC "Linked To:"
    FAMILY = "family"
    DIRECTOR = "director"


_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def is_partial_date(value: str) -> bool:
    """True for ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (FtM partial dates)."""
    return bool(_PARTIAL_DATE.match(value))


@dataclass(frozen=True, slots=True)
class Name:
    value: str
    kind: NameKind = NameKind.PRIMARY
    lang: str | None = None  # ISO 639 code or script hint when the list gives one
    remarks: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdKind
    value: str
    country: str | None = None  # issuing country (ISO alpha-2 where known, else as listed)
    note: str | None = None  # e.g. the currency of a crypto address, "expires 2020"


@dataclass(frozen=True, slots=True)
class Address:
    full: str
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country: str | None = None


@dataclass(slots=True)
class Entity:
    """One listed (or user-supplied) party: person, organisation, vessel or aircraft."""

    id: str  # stable, unique across lists: "<source>-<source_id>"
    schema: Schema
    source: str  # list code, e.g. "us_ofac_sdn", "un_sc_sanctions"
    source_id: str  # the publisher's own id (OFAC ent_num, UN DATAID, ...)
    names: list[Name] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)  # partial ISO dates
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)  # as listed (country names/codes)
    countries: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)  # e.g. "DPRK3", "UN 1718"
    listed_on: list[str] = field(default_factory=list)  # partial ISO dates
    remarks: list[str] = field(default_factory=list)
    # schema-specific facts
    title: str | None = None
    gender: str | None = None
    flag: str | None = None  # vessels: current flag as listed
    past_flags: list[str] = field(default_factory=list)
    vessel_type: str | None = None
    tonnage: str | None = None  # as listed (deadweight / tonnage)
    gross_tonnage: str | None = None  # GRT as listed
    build_date: str | None = None
    aircraft_type: str | None = None
    source_url: str | None = None
    # the publisher's reference numbers for the listing (UN "KPi.033", EU "EU.1234.56",
    # UK "RUS0001"); not identifiers of the party itself
    reference_numbers: list[str] = field(default_factory=list)

    @property
    def caption(self) -> str:
        """The primary name, or the first name of any kind."""
        for n in self.names:
            if n.kind is NameKind.PRIMARY:
                return n.value
        return self.names[0].value if self.names else self.id

    def all_names(self) -> list[str]:
        return [n.value for n in self.names]

    def ids_of(self, kind: IdKind) -> list[str]:
        return [i.value for i in self.identifiers if i.kind is kind]

    def add_name(self, value: str, kind: NameKind = NameKind.AKA, **kw: str | None) -> None:
        value = " ".join(value.split())
        if not value:
            return
        if any(n.value == value and n.kind is kind for n in self.names):
            return
        self.names.append(Name(value, kind, **kw))

    def add_identifier(self, kind: IdKind, value: str, **kw: str | None) -> None:
        value = value.strip()
        if not value:
            return
        ident = Identifier(kind, value, **kw)
        if ident not in self.identifiers:
            self.identifiers.append(ident)


@dataclass(frozen=True, slots=True)
class Link:
    """A relation ``source --kind--> target`` (e.g. company OWNER of vessel)."""

    source_id: str
    target_id: str
    kind: LinkKind
    origin: str  # where the link was read: list code or registry file
    share_pct: float | None = None
    start: str | None = None  # partial ISO date
    end: str | None = None
    role: str | None = None  # free text as listed, e.g. "ISM manager", "Linked To"

    @property
    def id(self) -> str:
        return f"link-{self.kind.value}-{self.source_id}-{self.target_id}"
