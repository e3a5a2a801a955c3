"""FollowTheMoney (FtM) JSON-lines export of entities and links.

Every line is one FtM entity ``{"id", "schema", "properties": {name: [str, ...]}}`` that
yente and Aleph load as is. Property names follow the FtM schemata (Person, Organization,
Vessel, Airplane, Sanction, CryptoWallet, Ownership, UnknownLink, Associate, Directorship,
Family); country-typed properties (``country``, ``nationality``, ``flag``, ``pastFlags``)
carry FtM country codes, looked up with ``rigour`` (names it cannot place are kept in
``notes`` so nothing is lost). The ``followthemoney`` package is not needed to export;
the tests validate the output with it.

Each listed entity gets a ``Sanction`` entity (``<id>-sanction``) with its programmes,
listing dates and the publisher's reference numbers, as OpenSanctions does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO, Any

import orjson

from armswatch.model.entities import Entity, IdKind, Link, LinkKind, NameKind, Schema

FtmEntity = dict[str, Any]

# list code -> (authority, country of the authority) for Sanction entities
AUTHORITIES: dict[str, tuple[str, str]] = {
    "us_ofac_sdn": ("Office of Foreign Assets Control", "us"),
    "us_ofac_cons": ("Office of Foreign Assets Control", "us"),
    "un_sc_sanctions": ("United Nations Security Council", "zz"),
    "eu_fsf": ("European Union", "eu"),
    "gb_hmt_sanctions": ("Office of Financial Sanctions Implementation", "gb"),
    "gb_fcdo_sanctions": ("Foreign, Commonwealth & Development Office", "gb"),
}
# Watch lists that are not sanctions lists: their entities get these topics instead.
WATCHLIST_TOPICS: dict[str, list[str]] = {"ua_gur_shadow_fleet": ["mare.shadow"]}

_NAME_PROPS = {NameKind.PRIMARY: "name", NameKind.AKA: "alias", NameKind.NKA: "alias",
               NameKind.FKA: "previousName", NameKind.WEAK: "weakAlias"}

# identifier kind -> FtM property, per schema (None: kept in notes)
_ID_PROPS: dict[Schema, dict[IdKind, str]] = {
    Schema.PERSON: {IdKind.PASSPORT: "passportNumber", IdKind.NATIONAL_ID: "idNumber",
                    IdKind.TAX_ID: "taxNumber", IdKind.REGISTRATION: "registrationNumber",
                    IdKind.SWIFT: "swiftBic", IdKind.OTHER: "idNumber"},
    Schema.ORGANIZATION: {IdKind.IMO: "imoNumber", IdKind.REGISTRATION: "registrationNumber",
                          IdKind.TAX_ID: "taxNumber", IdKind.NATIONAL_ID: "idNumber",
                          IdKind.SWIFT: "swiftBic", IdKind.OTHER: "idNumber",
                          IdKind.PASSPORT: "idNumber"},
    Schema.VESSEL: {IdKind.IMO: "imoNumber", IdKind.MMSI: "mmsi", IdKind.CALL_SIGN: "callSign",
                    IdKind.REGISTRATION: "registrationNumber"},
    Schema.AIRPLANE: {IdKind.REGISTRATION: "registrationNumber",
                      IdKind.AIRCRAFT_SERIAL: "serialNumber"},
}
_ID_PROPS[Schema.COMPANY] = _ID_PROPS[Schema.ORGANIZATION]
_ID_PROPS[Schema.LEGAL_ENTITY] = {k: v for k, v in _ID_PROPS[Schema.ORGANIZATION].items()
                                  if v != "imoNumber"}

_ASSETS = {Schema.VESSEL, Schema.AIRPLANE, Schema.COMPANY}
_LEGAL = {Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """Country name or code as listed -> FtM country code (``"Korea, North"`` -> ``kp``)."""
    from rigour.territories import lookup_territory

    text = name.strip()
    if not text:
        return None
    territory = lookup_territory(text)
    if territory is None:
        return None
    code = territory.ftm_country
    return str(code) if code else None


_ID_UNSAFE = re.compile(r"[^0-9A-Za-z.-]+")


def ftm_id(entity_id: str) -> str:
    """Our ids (``us_ofac_sdn-306``) -> FtM-valid ids (``us-ofac-sdn-306``): FtM allows
    only letters, digits, ``.`` and ``-``, at most 128 characters."""
    out = _ID_UNSAFE.sub("-", entity_id).strip(".-")
    if len(out) > 120:
        out = out[:80] + "-" + hashlib.sha1(entity_id.encode()).hexdigest()
    return out


def _number(text: str | None) -> str | None:
    """``"99,144"`` -> ``"99144"``; non-numeric text -> None."""
    if not text:
        return None
    digits = text.replace(",", "").strip()
    try:
        float(digits)
    except ValueError:
        return None
    return digits


class _Props:
    def __init__(self) -> None:
        self.data: dict[str, list[str]] = {}

    def add(self, prop: str, *values: str | None) -> None:
        for v in values:
            if v is None:
                continue
            v = v.strip()
            if v:
                vals = self.data.setdefault(prop, [])
                if v not in vals:
                    vals.append(v)

    def country(self, prop: str, values: Iterable[str], notes_label: str) -> None:
        for v in values:
            code = country_code(v)
            if code:
                self.add(prop, code)
            elif v.strip():
                self.add("notes", f"{notes_label}: {v}")


def entity_to_ftm(e: Entity) -> list[FtmEntity]:
    """One entity -> its FtM entity, plus its Sanction and CryptoWallet entities."""
    p = _Props()
    for n in e.names:
        p.add(_NAME_PROPS[n.kind], n.value)
    p.country("country", e.countries, "country")
    p.add("address", *(a.full for a in e.addresses))
    p.add("notes", *e.remarks)
    p.add("program", *e.programs)
    p.add("programId", *e.programs)
    p.add("sourceUrl", e.source_url)
    topics = WATCHLIST_TOPICS.get(e.source, ["sanction"])
    p.add("topics", *topics)
    if e.schema is Schema.PERSON:
        p.add("birthDate", *e.birth_dates)
        p.add("birthPlace", *e.birth_places)
        p.country("nationality", e.nationalities, "nationality")
        p.add("gender", e.gender if e.gender in ("male", "female", "other") else None)
        p.add("title", e.title)
    elif e.schema is Schema.VESSEL:
        p.country("flag", [e.flag] if e.flag else [], "flag")
        p.country("pastFlags", e.past_flags, "past flag")
        p.add("type", e.vessel_type)
        p.add("tonnage", _number(e.tonnage))
        p.add("grossRegisteredTonnage", _number(e.gross_tonnage))
        p.add("buildDate", e.build_date)
    elif e.schema is Schema.AIRPLANE:
        p.add("model", e.aircraft_type)
        p.add("buildDate", e.build_date)
    else:
        p.country("country", e.nationalities, "nationality")
    if e.schema is not Schema.PERSON and e.title:
        p.add("notes", e.title)
    wallets: dict[str, list[str]] = {}  # one wallet per address, whatever its currencies
    id_props = _ID_PROPS.get(e.schema, {})
    for ident in e.identifiers:
        if ident.kind is IdKind.CRYPTO:
            wallets.setdefault(ident.value, []).extend([ident.note] if ident.note else [])
            continue
        prop = id_props.get(ident.kind)
        if prop is None:
            p.add("notes", f"{ident.kind.value}: {ident.value}")
        else:
            p.add(prop, ident.value)
    head: FtmEntity = {"id": ftm_id(e.id), "schema": e.schema.value, "properties": p.data}
    extra = [_wallet(e, address, currencies) for address, currencies in wallets.items()]
    if e.source not in WATCHLIST_TOPICS:
        extra.insert(0, _sanction(e))
    return [head, *extra]


def _wallet(e: Entity, address: str, currencies: list[str]) -> FtmEntity:
    p = _Props()
    p.add("publicKey", address)
    p.add("currency", *currencies)
    p.add("holder", ftm_id(e.id))
    p.add("topics", "sanction")
    wallet_id = ftm_id(f"{e.id}-wallet-{address}")
    return {"id": wallet_id, "schema": "CryptoWallet", "properties": p.data}


def _sanction(e: Entity) -> FtmEntity:
    p = _Props()
    authority, country = AUTHORITIES.get(e.source, (e.source, ""))
    p.add("entity", ftm_id(e.id))
    p.add("authority", authority)
    p.add("country", country if country and country_code(country) else None)
    p.add("authorityId", e.source_id)
    p.add("program", *e.programs)
    p.add("programId", *e.programs)
    p.add("listingDate", *e.listed_on)
    p.add("startDate", *e.listed_on)
    p.add("sourceUrl", e.source_url)
    if e.source == "un_sc_sanctions":
        p.add("unscId", *e.reference_numbers)
    else:
        p.add("authorityId", *e.reference_numbers)
    return {"id": ftm_id(f"{e.id}-sanction"), "schema": "Sanction", "properties": p.data}


def link_to_ftm(link: Link, schemata: dict[str, Schema]) -> FtmEntity:
    """A link -> the FtM relation entity that fits the schemata of its two ends."""
    src, dst = schemata.get(link.source_id), schemata.get(link.target_id)
    a, b = ftm_id(link.source_id), ftm_id(link.target_id)
    p = _Props()
    role = link.role or link.kind.value
    if link.kind is LinkKind.OWNER and src in _LEGAL and dst in _ASSETS:
        schema = "Ownership"
        p.add("owner", a)
        p.add("asset", b)
        p.add("role", role)
        if link.share_pct is not None:
            p.add("percentage", f"{link.share_pct:g}")
    elif link.kind is LinkKind.ASSOCIATE and src is Schema.PERSON and dst is Schema.PERSON:
        schema = "Associate"
        p.add("person", a)
        p.add("associate", b)
        p.add("relationship", role)
    elif link.kind is LinkKind.FAMILY and src is Schema.PERSON and dst is Schema.PERSON:
        schema = "Family"
        p.add("person", a)
        p.add("relative", b)
        p.add("relationship", role)
    elif link.kind is LinkKind.DIRECTOR and src in _LEGAL and dst in _LEGAL - {Schema.PERSON}:
        schema = "Directorship"
        p.add("director", a)
        p.add("organization", b)
        p.add("role", role)
    else:
        schema = "UnknownLink"
        p.add("subject", a)
        p.add("object", b)
        p.add("role", role if link.role else link.kind.value)
    p.add("startDate", link.start)
    p.add("endDate", link.end)
    p.add("publisher", link.origin)
    return {"id": ftm_id(link.id), "schema": schema, "properties": p.data}


def to_ftm(entities: Iterable[Entity], links: Iterable[Link] = ()) -> Iterator[FtmEntity]:
    """FtM entities for ``entities`` and then ``links`` (links to absent entities are left
    out: an FtM relation must point at entities in the same export)."""
    schemata: dict[str, Schema] = {}
    for e in entities:
        schemata[e.id] = e.schema
        yield from entity_to_ftm(e)
    for link in links:
        if link.source_id in schemata and link.target_id in schemata:
            yield link_to_ftm(link, schemata)


def write_ftm(entities: Iterable[Entity], links: Iterable[Link], out: IO[bytes]) -> int:
    """Write FtM JSON lines to a binary stream; returns the number of lines."""
    n = 0
    for obj in to_ftm(entities, links):
        out.write(orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE))
        n += 1
    return n
