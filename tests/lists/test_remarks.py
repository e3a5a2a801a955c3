"""The OFAC remarks parser: examples from the OFAC files, and properties."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.lists._dates import parse_dates
from armswatch.lists._ofac_remarks import parse_remarks
from armswatch.model import IdKind, NameKind


def test_vessel_remarks() -> None:
    f = parse_remarks("Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; Additional "
                      "Sanctions Information - Subject to Secondary Sanctions; Vessel "
                      "Registration Identification IMO 9187629; MMSI 572469210; f.k.a. "
                      "'ALPHA'; Linked To: NATIONAL IRANIAN TANKER COMPANY.")
    assert [(i.kind, i.value) for i in f.identifiers] == [(IdKind.IMO, "9187629"),
                                                         (IdKind.MMSI, "572469210")]
    assert f.past_flags == ["Malta", "Tuvalu"]
    assert f.names == [(NameKind.FKA, "ALPHA")]
    assert f.linked_to == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert f.other == ["Additional Sanctions Information - Subject to Secondary Sanctions"]


def test_person_remarks() -> None:
    f = parse_remarks("DOB 21 Oct 1977; alt. DOB 1960 to 1962; DOB circa 1951; POB Beja, "
                      "Tunisia; nationality Tunisia; citizen Mexico; Gender Female; Passport "
                      "P229856 (Tunisia) issued 01 Nov 2002 expires 31 Oct 2007; National ID "
                      "No. 216040 (Yemen); Digital Currency Address - XBT 12QtD5BF; a.k.a. "
                      "'KAMEL'.")
    assert f.birth_dates == ["1977-10-21", "1960", "1961", "1962", "1951"]
    assert f.birth_dates_approx
    assert f.birth_places == ["Beja, Tunisia"]
    assert f.nationalities == ["Tunisia", "Mexico"]
    assert f.gender == "female"
    passport, national, crypto = f.identifiers
    assert (passport.kind, passport.value, passport.country) == (IdKind.PASSPORT, "P229856",
                                                                 "Tunisia")
    assert passport.note == "issued 01 Nov 2002 expires 31 Oct 2007"
    assert (national.kind, national.value, national.country) == (IdKind.NATIONAL_ID, "216040",
                                                                 "Yemen")
    assert (crypto.kind, crypto.value, crypto.note) == (IdKind.CRYPTO, "12QtD5BF", "XBT")
    assert f.names == [(NameKind.AKA, "KAMEL")]


def test_company_imo_and_registration() -> None:
    f = parse_remarks("Company Number IMO 5055293; Registration Number C378737 (Cyprus); "
                      "Vessel Registration Identification RS 150443 (Russia).")
    assert [(i.kind, i.value, i.country) for i in f.identifiers] == [
        (IdKind.IMO, "5055293", None), (IdKind.REGISTRATION, "C378737", "Cyprus"),
        (IdKind.REGISTRATION, "RS 150443", "Russia")]


def test_dates() -> None:
    assert parse_dates("01 Jan 1961 to 31 Dec 1961") == (["1961"], False)
    assert parse_dates("Dec 1965") == (["1965-12"], False)
    assert parse_dates("circa 1951") == (["1951"], True)
    assert parse_dates("1900 to 1990") == (["1900", "1990"], False)  # too wide to expand
    assert parse_dates("sometime") == ([], False)


# -- properties ---------------------------------------------------------------------------

_imo = st.integers(1_000_000, 9_999_999).map(str)
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                max_size=40)
_segment = st.one_of(
    _text,
    _imo.map(lambda n: f"Vessel Registration Identification IMO {n}"),
    _imo.map(lambda n: f"Company Number IMO {n}"),
    _imo.map(lambda n: f"alt. Identification Number IMO {n} (Iran)"),
    st.integers(100_000_000, 999_999_999).map(lambda n: f"MMSI {n}"),
    _text.map(lambda t: f"DOB {t}"),
    _text.map(lambda t: f"a.k.a. '{t}'"),
    _text.map(lambda t: f"Linked To: {t}"),
    _text.map(lambda t: f"Passport {t}"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_segment, max_size=8), st.sampled_from(["; ", ";  "]), st.booleans())
def test_never_crashes_never_loses_an_imo(segs: list[str], sep: str, dot: bool) -> None:
    text = sep.join(segs) + ("." if dot else "")
    facts = parse_remarks(text)  # must not raise
    want = set(re.findall(r"\bIMO\s*(\d{7})\b", text))
    got = {i.value for i in facts.identifiers if i.kind is IdKind.IMO}
    assert want <= got


@settings(max_examples=200, deadline=None)
@given(_text)
def test_any_text_parses(text: str) -> None:
    facts = parse_remarks(text)
    assert all(isinstance(s, str) for s in facts.other)
