"""HTTP handlers: parse → filter (pure) → provider → response model. Nothing else here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BeforeValidator

from armswatch import __version__
from armswatch.api._auth import Analyst, Reader
from armswatch.api._models import (
    AlertOut,
    BatchRequest,
    BatchResponse,
    BatchResult,
    DeliveryOut,
    EntityOut,
    EventsPage,
    Health,
    ListsInfo,
    PortOut,
    ReviewIn,
    ScreenRequest,
    ScreenResult,
    TracksOut,
    TradeOut,
    VesselDossierOut,
    VesselSummary,
)
from armswatch.api._problems import PROBLEM_JSON, ApiError, Problem
from armswatch.api._provider import DataProvider, NotAvailable
from armswatch.api._queries import EventFilter, TrackFilter, parse_bbox
from armswatch.api._settings import Settings
from armswatch.errors import BadInputError
from armswatch.screening import Match


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {400: "Bad input", 401: "API key missing or wrong", 403: "Role too low",
            404: "Not found, or that kind of data is not in the data folder",
            409: "Not allowed in the alert's current state", 413: "Body too large",
            422: "Invalid parameters"}
    return {c: {"model": Problem, "description": text[c],
                "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for c in codes}


VIEWER = {"x-armswatch-role": "viewer"}  # read: open on loopback (see _app)
ANALYST = {"x-armswatch-role": "analyst"}


def _provider(request: Request) -> DataProvider:
    provider: DataProvider = request.app.state.provider
    return provider


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _utc(ts: datetime | None) -> datetime | None:
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _available(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotAvailable as exc:
        raise ApiError(404, str(exc), kind="no-data") from None


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        return parse_bbox(text)
    except ValueError as exc:
        raise ApiError(422, f"bbox: {exc}") from None


def _screen_one(request: Request, q: ScreenRequest) -> ScreenResult:
    provider = _provider(request)
    algorithm, default_threshold = _available(provider.screening)
    matches: list[Match] = _available(provider.screen, q)
    floor = q.min_score if q.min_score is not None else _settings(request).min_score
    kept = [m for m in matches if m.score >= floor or m.is_match]
    return ScreenResult(
        name=q.name, matched=any(m.is_match for m in kept),
        threshold=q.threshold if q.threshold is not None else default_threshold,
        algorithm=algorithm, matches=kept,
    )


TypeQ = Annotated[list[str] | None, Query(
    alias="type", max_length=20, description="Event types (repeatable): ais_gap, encounter, "
    "port_call, dark_port_call, loitering, spoofing, identity_change.")]
def _iso(value: Any) -> Any:
    if isinstance(value, datetime) or value is None:
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("expected an ISO 8601 time, e.g. 2023-09-01T00:00:00Z")


IsoTime = Annotated[datetime | None, BeforeValidator(_iso)]
StartQ = Annotated[IsoTime, Query(description="From this time (ISO 8601; UTC if no "
                                          "zone): events that end at or after it.")]
EndQ = Annotated[IsoTime, Query(description="Until this time: events that start at "
                                        "or before it.")]
BBoxQ = Annotated[str | None, Query(max_length=200, description="min_lon,min_lat,max_lon,"
                                    "max_lat in degrees (start or end position inside).",
                                    examples=["129,40,135,45"])]
VesselQ = Annotated[str | None, Query(max_length=100, description="A ship: IMO, MMSI or "
                                      "vessel id (every MMSI it used).")]


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/health", tags=["service"], summary="Service state and what data is loaded")
    def health(request: Request) -> Health:
        comps = _provider(request).status()
        bad = any(c.state == "error" for c in comps.values())
        return Health(status="degraded" if bad else "ok", version=__version__,
                      open_read=_settings(request).open_read, components=comps)

    @r.get("/lists", tags=["screening"], responses=_errors(400, 401, 404),
           summary="Loaded sanctions lists: publisher, date, checksum, counts",
           openapi_extra=VIEWER)
    def lists(request: Request, who: Reader) -> ListsInfo:
        info: ListsInfo = _available(_provider(request).lists_info)
        return info

    @r.post("/screen", tags=["screening"], responses=_errors(400, 401, 404, 413, 422),
            summary="Screen one name (the fields and results of `armswatch screen`)",
            openapi_extra=VIEWER)
    async def screen(request: Request, who: Reader, query: ScreenRequest) -> ScreenResult:
        # async on purpose: a query takes about a millisecond of pure Python (which holds
        # the GIL anyway); a worker-thread hop would cost more than the work. Until the
        # index is built, the (long) first query waits in a worker thread instead.
        if _provider(request).screening_ready():
            return _screen_one(request, query)
        return await run_in_threadpool(_screen_one, request, query)

    @r.post("/screen/batch", tags=["screening"], responses=_errors(400, 401, 404, 413, 422),
            summary="Screen many names in one request",
            openapi_extra=VIEWER)
    def screen_batch(request: Request, who: Reader, batch: BatchRequest) -> BatchResponse:
        # sync (a worker thread): a batch may take seconds; the event loop stays free
        limit = _settings(request).max_batch
        if len(batch.queries) > limit:
            raise ApiError(422, f"batch of {len(batch.queries):,} queries; at most {limit:,} "
                           "per request")
        results = []
        for q in batch.queries:
            one = _screen_one(request, q)
            results.append(BatchResult(id=q.id, **one.model_dump(by_alias=True)))
        return BatchResponse(count=len(results), matched=sum(r.matched for r in results),
                             results=results)

    @r.get("/entities/{entity_id}", tags=["screening"], responses=_errors(400, 401, 404, 422),
           summary="One listed entity with its names, identifiers and links",
           openapi_extra=VIEWER)
    def entity(request: Request, who: Reader,
               entity_id: Annotated[str, Path(max_length=200, examples=["us_ofac_sdn-17068"])],
               ) -> EntityOut:
        out: EntityOut | None = _available(_provider(request).entity, entity_id)
        if out is None:
            raise ApiError(404, f"no entity {entity_id!r} in the loaded lists")
        return out

    @r.get("/vessels", tags=["ships"], responses=_errors(400, 401, 404),
           summary="Every ship in the data with its risk score, highest first",
           openapi_extra=VIEWER)
    def vessels(request: Request, who: Reader) -> list[VesselSummary]:
        out: list[VesselSummary] = _available(_provider(request).vessels)
        return out

    @r.get("/vessels/{key}", tags=["ships"], responses=_errors(400, 401, 404, 422),
           summary="Dossier: identities, owners and their status, risk components, voyages",
           openapi_extra=VIEWER)
    def vessel(request: Request, who: Reader,
               key: Annotated[str, Path(max_length=100, description="IMO, MMSI or vessel id",
                                        examples=["9179842"])]) -> VesselDossierOut:
        out: VesselDossierOut | None = _available(_provider(request).vessel, key)
        if out is None:
            raise ApiError(404, f"no vessel {key!r} in the data (IMO, MMSI or vessel id)")
        return out

    @r.get("/events", tags=["ships"], responses=_errors(400, 401, 404, 422),
           summary="Detector events, filtered and paginated (oldest first)",
           openapi_extra=VIEWER, response_model=EventsPage)
    async def events(
        request: Request, who: Reader, types: TypeQ = None, start: StartQ = None,
        end: EndQ = None, bbox: BBoxQ = None, vessel: VesselQ = None,
        port: Annotated[str | None, Query(max_length=100, examples=["RU-DUNAY"])] = None,
        min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
        limit: Annotated[int | None, Query(ge=1, le=10_000, description="Page size: default "
                                           "100, at most the server's max_page (1,000 by "
                                           "default).")] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    ) -> Response:
        # async: a page of loaded events costs well under a millisecond of numpy and
        # Python, less than two worker-thread hops; until the events (and, to resolve a
        # vessel, the case) are loaded, the request waits in a worker thread instead
        provider = _provider(request)
        max_page = _settings(request).max_page
        if limit is None:
            limit = min(100, max_page)
        elif limit > max_page:
            raise ApiError(422, f"limit {limit:,} is over this server's page size of "
                           f"{max_page:,}")

        def page() -> Response:
            f = EventFilter(types=tuple(types or ()), start_utc=_utc(start),
                            end_utc=_utc(end), bbox=_bbox(bbox), mmsis=_mmsis(provider, vessel),
                            port=port, min_confidence=min_confidence, limit=limit,
                            offset=offset)
            # the provider's JSON is already in EventsPage's shape (tests check it against
            # the model): a page of models would cost more than finding the events
            body: bytes = _available(provider.events_json, f)
            return Response(body, media_type="application/json")

        if provider.events_ready(need_case=vessel is not None):
            return page()
        return await run_in_threadpool(page)

    @r.get("/tracks", tags=["ships"], responses=_errors(400, 401, 404, 422),
           summary="Vessel tracks for the map, thinned to at most max_points points",
           openapi_extra=VIEWER)
    def tracks(
        request: Request, who: Reader, start: StartQ = None, end: EndQ = None,
        bbox: BBoxQ = None, vessel: VesselQ = None,
        max_points: Annotated[int, Query(ge=100, le=200_000)] = 20_000,
    ) -> TracksOut:
        provider = _provider(request)
        cap = min(max_points, _settings(request).max_track_points)
        f = TrackFilter(start_utc=_utc(start), end_utc=_utc(end), bbox=_bbox(bbox),
                        mmsis=_mmsis(provider, vessel), max_points=cap)
        out: TracksOut = _available(provider.tracks, f)
        return out

    @r.get("/ports", tags=["ships"], responses=_errors(400, 401),
           summary="Ports and areas of concern (bundled table)",
           openapi_extra=VIEWER)
    def ports(request: Request, who: Reader) -> list[PortOut]:
        out: list[PortOut] = _provider(request).ports()
        return out

    @r.get("/deliveries", tags=["ships"], responses=_errors(400, 401, 404, 422),
           summary="Inferred deliveries from ports of concern, with their evidence",
           openapi_extra=VIEWER)
    def deliveries(
        request: Request, who: Reader,
        from_role: Annotated[list[str] | None, Query(max_length=20, examples=["dprk_port"],
                                                     description="Origin port roles.")] = None,
        to_role: Annotated[list[str] | None, Query(max_length=20, examples=["russian_port"],
                                                   description="Destination roles.")] = None,
        vessel: VesselQ = None,
    ) -> list[DeliveryOut]:
        out: list[DeliveryOut] = _available(_provider(request).deliveries, from_role or [],
                                            to_role or [], vessel)
        return out

    @r.get("/alerts", tags=["alerts"], responses=_errors(400, 401, 422),
           summary="The alert queue, newest first",
           openapi_extra=VIEWER)
    def alerts(
        request: Request, who: Reader,
        state: Annotated[list[str] | None, Query(max_length=4, description="new, "
                                                 "under_review, escalated, dismissed")] = None,
        vessel: VesselQ = None,
    ) -> list[AlertOut]:
        known = {"new", "under_review", "escalated", "dismissed"}
        bad = [s for s in state or [] if s not in known]
        if bad:
            raise ApiError(422, f"unknown alert state {bad[0]!r}; states: "
                           f"{', '.join(sorted(known))}")
        out: list[AlertOut] = _provider(request).alerts(state or [], vessel)
        return out

    @r.get("/alerts/{alert_id}", tags=["alerts"], responses=_errors(400, 401, 404, 422),
           summary="One alert with its evidence versions and review history",
           openapi_extra=VIEWER)
    def alert(request: Request, who: Reader,
              alert_id: Annotated[str, Path(max_length=100)]) -> AlertOut:
        out = _provider(request).alert(alert_id)
        if out is None:
            raise ApiError(404, f"no alert {alert_id!r}")
        return out

    @r.post("/alerts/{alert_id}/review", tags=["alerts"],
            responses=_errors(400, 401, 403, 404, 409, 413, 422),
            summary="Review an alert (analyst key): the key holder is recorded",
            openapi_extra=ANALYST)
    def review(request: Request, who: Analyst,
               alert_id: Annotated[str, Path(max_length=100)],
               body: Annotated[ReviewIn, Body()]) -> AlertOut:
        provider = _provider(request)
        current = provider.alert(alert_id)
        if current is None:
            raise ApiError(404, f"no alert {alert_id!r}")
        try:
            out: AlertOut = _available(provider.review, alert_id, body.state.value, who.actor,
                                       body.comment, datetime.now(UTC))
        except BadInputError as exc:  # the review state machine refuses it; says why
            raise ApiError(409, exc.reason, kind="conflict") from None
        return out

    @r.get("/trade/routes", tags=["trade"], responses=_errors(400, 401, 404, 422),
           summary="Transit countries and routes ranked by evidence of re-routing",
           openapi_extra=VIEWER)
    def trade_routes(
        request: Request, who: Reader,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
        transit: Annotated[str | None, Query(max_length=3, examples=["GEO"],
                                             description="Only this transit country "
                                             "(ISO alpha-3).")] = None,
    ) -> TradeOut:
        out: TradeOut = _available(_provider(request).trade)
        routes = [x for x in out.routes if transit is None or x.transit == transit.upper()]
        countries = [c for c in out.countries
                     if transit is None or c.transit == transit.upper()]
        return out.model_copy(update={"routes": routes[:limit], "countries": countries})

    return r


def _mmsis(provider: DataProvider, vessel: str | None) -> tuple[int, ...] | None:
    if vessel is None:
        return None
    found = provider.mmsis_of(vessel)
    if found is None:
        raise ApiError(404, f"no vessel {vessel!r} in the data (IMO, MMSI or vessel id)")
    return found
