"""Request and response models: the API's contract, documented on the OpenAPI page.

Response models read the packages' dataclasses directly (``from_attributes``): the
handlers stay thin and a field added to a dossier appears here only when it is declared.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from armswatch.api._settings import MAX_NAME_CHARS
from armswatch.screening import Match, Query

_ATTRS = ConfigDict(from_attributes=True)


def _number(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise ValueError("must be a JSON number")
    return value


_NOT_BOOL = BeforeValidator(_number)
SchemaName = Literal["person", "company", "organization", "vessel", "airplane", "any"]


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


# -- health and lists ----------------------------------------------------------------------
class ComponentState(BaseModel):
    state: str = Field(description="absent, not_loaded, loading, ready or error",
                       examples=["ready"])
    detail: str | None = Field(default=None, description="Counts, or what went wrong.")


class Health(BaseModel):
    status: str = Field(description="ok, or degraded when a component failed to load",
                        examples=["ok"])
    version: str = Field(examples=["0.1.0"])
    open_read: bool = Field(description="Whether reading works without an API key.")
    components: dict[str, ComponentState]


class ListInfo(BaseModel):
    model_config = _ATTRS

    source: str = Field(examples=["us_ofac_sdn"])
    publisher: str = Field(examples=["US Treasury, Office of Foreign Assets Control (OFAC)"])
    format: str = Field(examples=["ofac_csv"])
    file: str = Field(description="Name of the main file read.", examples=["sdn.csv"])
    date: str | None = Field(description="Publication date stated in the file, if any.",
                             examples=["2026-02-27"])
    sha256: str = Field(description="SHA-256 of the main file.")
    is_sanctions_list: bool
    entity_count: int = Field(examples=[14965])
    link_count: int
    by_schema: dict[str, int] = Field(examples=[{"Person": 6854, "Vessel": 851}])
    skipped_rows: int = Field(description="Bad rows skipped while reading.")
    notes: list[str]


class ListsInfo(BaseModel):
    origin: str = Field(description="files (list files read at start) or store (a snapshot)",
                        examples=["files"])
    snapshot: str | None = Field(default=None, description="Store snapshot name, if any.")
    loaded_utc: datetime
    entity_count: int
    lists: list[ListInfo]


# -- screening -----------------------------------------------------------------------------
class ScreenRequest(Query):
    """One name to screen, with what else is known (the fields of ``armswatch screen``)."""

    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS,
                      description="Name as known, any script (needs a letter or digit).",
                      examples=["Kim Jong Un"], json_schema_extra={"pattern": r"[^\W_]"})
    schema_: Annotated[SchemaName | None, BeforeValidator(_lower)] = Field(
        default=None, alias="schema", description="What the name is; default any.",
        examples=["person"])
    # numbers are numbers: JSON true/false or "0.5" are refused, not read as 1/0/0.5
    top: Annotated[int, _NOT_BOOL] = Field(default=5, ge=1, le=1000,
                                           description="How many candidates to return.")
    threshold: Annotated[float | None, _NOT_BOOL] = Field(
        default=None, ge=0.0, le=1.0, description="Match threshold (default: the algorithm's).")
    min_score: Annotated[float | None, _NOT_BOOL] = Field(
        default=None, ge=0.0, le=1.0,
        description="Leave out candidates scoring below (default 0.30, as the CLI).",
    )

    @field_validator("name")
    @classmethod
    def _has_letters(cls, value: str) -> str:
        if not any(ch.isalnum() for ch in value):
            raise ValueError("empty name: nothing to screen (no letter or digit)")
        return value

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True,
        json_schema_extra={"examples": [
            {"name": "Kim Jong Un", "schema": "person", "birth_date": "1984"},
            {"name": "CHON MA SAN", "schema": "vessel", "identifiers": {"imo": "8660313"}},
        ]},
    )


class ScreenResult(BaseModel):
    name: str = Field(description="The name screened.")
    matched: bool = Field(description="True when any candidate reaches the threshold.")
    threshold: float
    algorithm: str = Field(examples=["armswatch-match@1"])
    matches: list[Match] = Field(description="Candidates, best first, each explained.")


class BatchItem(ScreenRequest):
    id: str | None = Field(default=None, max_length=200,
                           description="Your reference for the query, echoed back.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"queries": [
        {"id": "q1", "name": "Kim Jong Un", "schema": "person"},
        {"id": "q2", "name": "Ocean Maritime Management", "schema": "company"},
    ]}]})

    queries: list[BatchItem] = Field(min_length=1, description="Queries (at most the server's "
                                     "max_batch, 1,000 by default).")


class BatchResult(ScreenResult):
    id: str | None = None


class BatchResponse(BaseModel):
    count: int
    matched: int = Field(description="How many queries matched.")
    results: list[BatchResult]


# -- entities --------------------------------------------------------------------------------
class NameOut(BaseModel):
    model_config = _ATTRS
    value: str
    kind: str = Field(examples=["aka"])
    lang: str | None = None


class IdentifierOut(BaseModel):
    model_config = _ATTRS
    kind: str = Field(examples=["imo"])
    value: str = Field(examples=["9179842"])
    country: str | None = None
    note: str | None = None


class AddressOut(BaseModel):
    model_config = _ATTRS
    full: str
    city: str | None = None
    country: str | None = None


class LinkOut(BaseModel):
    model_config = _ATTRS
    id: str
    source_id: str
    target_id: str
    kind: str = Field(examples=["owner"])
    origin: str
    share_pct: float | None = None
    start: str | None = None
    end: str | None = None
    role: str | None = None
    other_caption: str | None = Field(default=None, description="Name of the other party.")


class EntityOut(BaseModel):
    model_config = _ATTRS
    id: str = Field(examples=["us_ofac_sdn-17068"])
    schema_: str = Field(alias="schema", examples=["Organization"])
    caption: str
    source: str
    source_id: str
    names: list[NameOut]
    identifiers: list[IdentifierOut]
    birth_dates: list[str]
    birth_places: list[str]
    nationalities: list[str]
    countries: list[str]
    addresses: list[AddressOut]
    programs: list[str]
    listed_on: list[str]
    remarks: list[str]
    reference_numbers: list[str]
    flag: str | None = None
    past_flags: list[str] = []
    vessel_type: str | None = None
    tonnage: str | None = None
    build_date: str | None = None
    links: list[LinkOut] = []


# -- vessels ---------------------------------------------------------------------------------
class AisIdentityOut(BaseModel):
    model_config = _ATTRS
    mmsi: int
    imo: str | None
    name: str | None
    callsign: str | None
    ship_type: int | None
    first_utc: datetime | None
    last_utc: datetime | None
    messages: int


class FlagOut(BaseModel):
    model_config = _ATTRS
    flag: str | None = Field(examples=["KP"])
    risk: float
    category: str = Field(examples=["sanctioned_state"])
    basis: str = Field(description="flag (as listed/registered), mid (from MMSI) or none")


class StatusOut(BaseModel):
    model_config = _ATTRS
    node_id: str
    caption: str
    listed: bool
    blocked: bool = Field(description="Listed on a blocking list, or blocked by the 50 % rule.")
    blocked_share_pct: float | None
    exposure: float = Field(description="0-1, best path to a blocked party.")
    nearest_blocked: str | None
    reason: str


class PartyOut(BaseModel):
    model_config = _ATTRS
    role: str = Field(examples=["registered_owner"])
    node_id: str
    caption: str
    share_pct: float | None
    start: str | None
    end: str | None
    origin: str
    status: StatusOut | None


class ListMatchOut(BaseModel):
    model_config = _ATTRS
    entity_id: str
    method: str = Field(examples=["imo"])
    strength: float
    evidence: str


class ComponentOut(BaseModel):
    model_config = _ATTRS
    name: str = Field(examples=["deliveries"])
    value: float
    weight: float
    contribution: float
    explanation: str
    evidence: list[str]


class RiskOut(BaseModel):
    model_config = _ATTRS
    subject_kind: str
    subject_id: str
    vessel_id: str
    score: float = Field(ge=0.0, le=1.0, examples=[0.987])
    algorithm: str = Field(examples=["vessel_risk@1"])
    components: list[ComponentOut]


class OnTheWayOut(BaseModel):
    model_config = _ATTRS
    event_id: str
    type: str
    start_utc: datetime
    end_utc: datetime
    confidence: float
    other_vessel_id: str | None = None
    lat: float | None = None
    lon: float | None = None


class VoyageOut(BaseModel):
    model_config = _ATTRS
    voyage_id: str
    vessel_id: str
    mmsi: int
    origin_port: str
    origin_roles: list[str]
    origin_dark: bool
    departure_utc: datetime
    destination_port: str
    destination_roles: list[str]
    destination_dark: bool
    arrival_utc: datetime
    duration_h: float
    confidence: float
    events: list[OnTheWayOut]


class LegOut(BaseModel):
    model_config = _ATTRS
    kind: str = Field(examples=["voyage"])
    vessel_id: str
    from_port: str | None
    to_port: str | None
    start_utc: datetime
    end_utc: datetime
    evidence: list[str]
    voyage_id: str | None = None
    other_vessel_id: str | None = None


class DeliveryOut(BaseModel):
    model_config = _ATTRS
    delivery_id: str
    kind: str = Field(description="direct, multi_leg or transshipment")
    origin_port: str = Field(examples=["KP-RJN"])
    origin_roles: list[str]
    departure_utc: datetime
    destination_port: str = Field(examples=["RU-DUNAY"])
    destination_roles: list[str]
    arrival_utc: datetime
    confidence: float
    vessels: list[str]
    legs: list[LegOut]
    evidence: list[str]


class VesselSummary(BaseModel):
    vessel_id: str = Field(examples=["imo-9179842"])
    imo: str | None
    names: list[str]
    mmsis: list[int]
    flag: str | None
    score: float
    blocked: bool
    listed: bool
    event_counts: dict[str, int]


class VesselDossierOut(BaseModel):
    model_config = _ATTRS
    vessel_id: str
    imo: str | None
    names: list[str]
    mmsis: list[int]
    identities: list[AisIdentityOut]
    flag: FlagOut
    status: StatusOut | None
    listed_ids: list[str]
    parties: list[PartyOut] = Field(description="Owners, managers, operators over time.")
    matches: list[ListMatchOut] = Field(description="Listed entities matched to the ship.")
    event_counts: dict[str, int]
    voyages: list[VoyageOut]
    deliveries: list[DeliveryOut]
    risk: RiskOut
    explanation: str = Field(description="The risk score in words.")
    voyage_risk: dict[str, RiskOut]


# -- events and map --------------------------------------------------------------------------
class EventOut(BaseModel):
    event_id: str
    type: str = Field(examples=["ais_gap"])
    mmsi: int
    other_mmsi: int | None
    start_utc: datetime
    end_utc: datetime
    lat: float | None
    lon: float | None
    end_lat: float | None
    end_lon: float | None
    port: str | None
    confidence: float
    details: dict[str, Any] = Field(description="Detector-specific facts.")
    algorithm: str = Field(examples=["ais_gap@1"])


class EventsPage(BaseModel):
    total: int = Field(description="Events matching the filters (all pages).")
    limit: int
    offset: int
    items: list[EventOut]


class Track(BaseModel):
    mmsi: int
    vessel_id: str | None
    name: str | None
    points: list[tuple[float, float, int]] = Field(
        description="[lon, lat, unix seconds], oldest first")


class TracksOut(BaseModel):
    start_utc: datetime | None
    end_utc: datetime | None
    step_s: int = Field(description="At most one point per vessel per this many seconds.")
    points: int
    tracks: list[Track]


class PortOut(BaseModel):
    model_config = _ATTRS
    port_id: str = Field(examples=["KP-RJN"])
    name: str
    country: str
    lat: float
    lon: float
    radius_m: float
    roles: list[str]


# -- alerts ----------------------------------------------------------------------------------
class ReviewState(StrEnum):
    UNDER_REVIEW = "under_review"
    ESCALATED = "escalated"
    DISMISSED = "dismissed"


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"state": "dismissed", "comment": "known ferry; AIS gap is a receiver hole"}]})

    state: ReviewState = Field(description="under_review, escalated or dismissed.")
    comment: str | None = Field(default=None, max_length=2_000,
                                description="Why (needed to escalate or dismiss).")


class HistoryOut(BaseModel):
    model_config = _ATTRS
    seq: int
    state: str
    actor: str = Field(description="Who: the API key's holder, or armswatch for raising.")
    comment: str | None
    ts_utc: datetime


class EvidenceOut(BaseModel):
    model_config = _ATTRS
    version: int
    score: float
    algorithm: str | None
    summary: str | None
    evidence: list[str]
    ts_utc: datetime


class AlertOut(BaseModel):
    model_config = _ATTRS
    alert_id: str = Field(examples=["al-84be51c0a1b2"])
    subject_kind: str
    subject_id: str
    vessel_id: str | None
    created_utc: datetime
    follows: str | None
    state: str = Field(examples=["new"])
    score: float
    summary: str | None
    history: list[HistoryOut]
    versions: list[EvidenceOut]


# -- trade -----------------------------------------------------------------------------------
class RouteOut(BaseModel):
    rank: int
    transit: str = Field(examples=["GEO"])
    flow: str
    group_id: str = Field(examples=["hs2:84"])
    group_label: str | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    q_value: float | None = None
    ratio: float | None = None
    pre_mean: float | None = None
    post_mean: float | None = None
    excess_value: float | None = None
    currency: str | None = None
    evidence: float | None = None
    explanation: str
    algorithm: str | None = None


class CountryOut(BaseModel):
    rank: int
    transit: str
    score: float
    surge_evidence: float | None = None
    mirror_evidence: float | None = None
    flagged_groups: int | None = None
    best_group: str | None = None
    explanation: str | None = None


class TradeOut(BaseModel):
    sanction_date: str | None
    targets: list[str]
    algorithm: dict[str, str]
    countries: list[CountryOut] = Field(description="Transit countries ranked by evidence.")
    routes: list[RouteOut] = Field(description="Flagged (country, product group) routes.")
