"""What a screening query asks and what a match answers (pydantic models, the API edge)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_NAME_CHARS = 10_000  # longer names are refused (no list holds anything near it)


class Query(BaseModel):
    """One party to screen: a name plus whatever else is known."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="Name as known, any script.", examples=["Kim Jong Un"])
    schema_: str | None = Field(
        default=None,
        alias="schema",
        description="person, company (organization), vessel, airplane or any (default).",
        examples=["person"],
    )
    birth_date: str | None = Field(
        default=None, description="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.", examples=["1984"]
    )
    countries: tuple[str, ...] = Field(
        default=(), description="Nationality / residence / flag: names or ISO codes."
    )
    identifiers: dict[str, str] = Field(
        default_factory=dict,
        description="Identifiers by kind: imo, mmsi, passport, national_id, tax_id, ...",
        examples=[{"imo": "9182069"}],
    )
    programs: tuple[str, ...] = Field(
        default=(), description="Only entities under these programmes (prefix, any case)."
    )
    lists: tuple[str, ...] = Field(
        default=(), description="Only entities from these lists (substring of the list code)."
    )
    top: int = Field(default=5, ge=1, le=1000, description="How many candidates to return.")
    threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Match threshold (default: the algorithm's)."
    )

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("name")
    @classmethod
    def _name_length(cls, value: str) -> str:
        if len(value) > MAX_NAME_CHARS:
            raise ValueError(f"name longer than {MAX_NAME_CHARS} characters")
        return value

    @field_validator("identifiers")
    @classmethod
    def _identifier_kinds(cls, value: dict[str, str]) -> dict[str, str]:
        return {k.strip().lower(): v for k, v in value.items() if v and v.strip()}

    @property
    def schema(self) -> str | None:  # type: ignore[override]  # pydantic's BaseModel.schema
        return self.schema_


class Match(BaseModel):
    """One listed entity found for a query, with the evidence."""

    model_config = ConfigDict(frozen=True)

    entity_id: str = Field(description="Stable id: <list>-<source id>.")
    schema_: str = Field(alias="schema", description="Person, Organization, Vessel, ...")
    entity_name: str = Field(description="The entity's primary name.")
    matched_name: str = Field(description="The listed name or alias that matched best.")
    query_name: str = Field(description="The query name (or reading) that matched it.")
    score: float = Field(ge=0.0, le=1.0)
    is_match: bool = Field(description="score >= threshold")
    lists: tuple[str, ...] = Field(description="List codes the entity comes from.")
    programs: tuple[str, ...] = ()
    source_id: str = Field(description="The publisher's own id (OFAC ent_num, UN DATAID).")
    features: dict[str, float] = Field(
        default_factory=dict, description="Per-feature scores: name, identifier, dob, country."
    )
    explanation: str = ""
    algorithm: str = Field(description="name@version of the scoring algorithm.")

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    @property
    def schema(self) -> str:  # type: ignore[override]  # pydantic's BaseModel.schema
        return self.schema_
