from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.trade import _countries as C  # noqa: N812 - short alias
from tests.conftest import need


@pytest.mark.parametrize(
    ("scheme", "value", "code", "kind"),
    [
        ("alpha2", "EL", "GRC", "country"),  # Eurostat's Greece
        ("alpha2", "GR", "GRC", "country"),
        ("alpha2", "QX", "QX", "confidential"),
        ("alpha2", "EU27_2020", "EU27_2020", "aggregate"),
        ("alpha3", "W00", "W00", "aggregate"),
        ("alpha3", "S19", "S19", "unspecified"),
        ("numeric", "842", "USA", "country"),  # Comtrade's own code for the USA
        ("numeric", "251", "FRA", "country"),
        ("numeric", "417", "KGZ", "country"),
        ("numeric", "0", "M49_0", "aggregate"),
        ("name", "Korea (DPRK)", "PRK", "country"),
        ("name", "Russian Federation (Russia)", "RUS", "country"),
        ("name", "Germany (incl. German Democratic Republic 'DD' from 1991)", "DEU", "country"),
        ("name", "Allemagne", "DEU", "country"),
        ("name", "SAR-Hong Kong", "HKG", "country"),
        ("name", "Commonwealth of Independent States", "COMMONWEALTH_OF_INDEPENDENT_STATES",
         "aggregate"),
    ],
)
def test_resolve(scheme: str, value: str, code: str, kind: str) -> None:
    c = C.resolve(value, scheme)
    assert (c.code, c.kind) == (code, kind)


def test_m49_of_countries() -> None:
    assert C.from_alpha3("KGZ").m49 == 417
    assert C.from_alpha2("AM").m49 == 51


def test_to_alpha3_rejects_non_countries() -> None:
    assert C.to_alpha3("ru") == "RUS"
    assert C.to_alpha3("Kyrgyzstan") == "KGZ"
    with pytest.raises(ValueError, match="not a country"):
        C.to_alpha3("World")


def test_specials_agree_with_comtrade_reference_table() -> None:
    """Our hand-typed non-standard numeric codes match UN Comtrade's reporter table."""
    path = need("trade/codes/comtrade_reporters.csv")
    with path.open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    for code in ("842", "251", "699", "757", "579"):
        assert C.from_numeric(int(code)).code == rows[code]["iso_3"]


@given(st.sampled_from(sorted(C._iso()[0])))
def test_alpha2_alpha3_roundtrip(a2: str) -> None:
    c = C.from_alpha2(a2)
    assert c.kind in ("country", "confidential", "unspecified", "aggregate")
    if c.kind == "country" and a2 not in ("XK", "EA", "IC", "DG"):
        assert C.from_alpha3(c.code).code == c.code
