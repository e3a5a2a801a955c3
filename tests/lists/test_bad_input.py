"""Bad input: a clear error naming file and line, or the bad row skipped and counted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from armswatch.errors import BadInputError, UnknownFormatError
from armswatch.lists import read_list, read_lists
from tests.conftest import need

DATA = Path(__file__).parent / "data"


def test_truncated_xml_names_file_and_line(tmp_path: Path) -> None:
    src = need("sanctions/un/UN_consolidated_2026-02-27.xml").read_bytes()
    cut = tmp_path / "un_truncated.xml"
    cut.write_bytes(src[: len(src) // 2])
    lines_kept = src[: len(src) // 2].count(b"\n") + 1
    with pytest.raises(BadInputError) as info:
        read_list(cut)
    err = info.value
    assert err.path == str(cut)
    assert err.line is not None
    assert lines_kept - 1 <= err.line <= lines_kept + 1  # where the text stops
    assert "truncated" in str(err)
    assert f"{cut}:{err.line}" in str(err)


@pytest.mark.parametrize("name", ["ofac_sdn_sample.xml", "eu_fsf_sample.xml",
                                  "uk_fcdo_sample.xml"])
def test_truncated_samples(tmp_path: Path, name: str) -> None:
    src = (DATA / name).read_bytes()
    cut = tmp_path / name
    cut.write_bytes(src[: int(len(src) * 0.7)])
    with pytest.raises(BadInputError, match="malformed XML") as info:
        read_list(cut)
    assert info.value.line is not None
    assert info.value.line > 1


def _copy_set(tmp_path: Path, folder: Path) -> Path:
    dest = tmp_path / "set"
    shutil.copytree(folder, dest)
    return dest


def test_broken_rows_skipped_counted_rest_loaded(tmp_path: Path) -> None:
    folder = _copy_set(tmp_path, need("sanctions/ofac/consistent_2021-07-07"))
    sdn = folder / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    broken = [b'99999901,"UNCLOSED QUOTE,"individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
              b'-0- ,-0- ',
              b'99999902,"TOO FEW FIELDS","individual"',
              b'ABC,"NOT A NUMBER","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ']
    sdn.write_bytes(b"\r\n".join(lines[:100] + broken + lines[100:]))
    alt = folder / "alt.csv"
    alt.write_bytes(alt.read_bytes().replace(b"\x1a", b"") + b'12345678,1,"aka","ORPHAN",-0- \r\n')
    data = read_list(sdn)
    assert len(data.entities) == 8976  # every good record still loaded
    skipped = data.meta[0].skipped
    assert [(Path(s.path).name, s.line) for s in skipped] == [
        ("sdn.csv", 101), ("sdn.csv", 102), ("sdn.csv", 103), ("alt.csv", 11911)]
    assert "unbalanced quotes" in skipped[0].reason
    assert "3 fields, expected 12" in skipped[1].reason
    assert "not a number" in skipped[2].reason
    assert "not in sdn.csv" in skipped[3].reason


def test_unknown_format_lists_known_formats(tmp_path: Path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text("imo,ofac,uk,eu\n9000001,True,False,False\n")
    with pytest.raises(UnknownFormatError) as info:
        read_list(f)
    msg = str(info.value)
    assert str(f) in msg
    assert "unknown list format" in msg
    assert "UN Security Council" in msg
    assert "OFAC SDN" in msg


def test_real_cross_reference_file_is_unknown() -> None:
    with pytest.raises(UnknownFormatError):
        read_list(need("sanctions/vessels/sanctions_by_imo_2026-06-16.csv"))


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\x1a"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "sdn.csv"
    f.write_bytes(content)
    with pytest.raises(BadInputError, match="empty") as info:
        read_list(f)
    assert info.value.path == str(f)
    assert info.value.line == 1


def test_companion_alone_is_an_error(tmp_path: Path) -> None:
    alt = tmp_path / "alt.csv"
    shutil.copy(DATA / "ofac_sample" / "alt.csv", alt)
    with pytest.raises(BadInputError, match="companion"):
        read_list(alt)
    with pytest.raises(BadInputError, match="without its main file"):
        read_lists([alt])


def test_folder_walk_ignores_non_lists_and_orphans() -> None:
    folder = need("sanctions/ofac/partial_2026-06-02")  # alt.csv + add.csv, no sdn.csv
    data = read_lists([folder.parent.parent / "vessels", folder])
    assert [m.source for m in data.meta] == ["ua_gur_shadow_fleet"]
    reasons = {Path(s.path).name: s.reason for s in data.ignored}
    assert "unknown list format" in reasons["sanctions_by_imo_2026-06-16.csv"]
    assert "without its main file" in reasons["alt.csv"]
    assert "without its main file" in reasons["add.csv"]


def test_two_versions_of_one_list_rejected() -> None:
    with pytest.raises(BadInputError, match="two versions of list us_ofac_sdn"):
        read_lists([DATA / "ofac_sdn_sample.xml", DATA / "ofac_sample"])


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no such file"):
        read_lists([tmp_path / "nope.xml"])


def test_bad_xml_records_skipped_and_counted(tmp_path: Path) -> None:
    """Duplicate ids, unknown record types and nameless records are skipped with a reason."""
    text = (DATA / "eu_fsf_sample.xml").read_text(encoding="utf-8")
    first = text[text.index("  <sanctionEntity"):text.index("</sanctionEntity>") + 17]
    odd = first.replace('code="person"', 'code="spaceship"').replace('"900101"', '"900103"')
    nameless = first.replace('"900101"', '"900104"').replace('wholeName="', 'x="')
    nameless = nameless.replace('firstName="', 'y="').replace('lastName="', 'z="')
    f = tmp_path / "eu.xml"
    f.write_text(text.replace("</export>", first + odd + nameless + "\n</export>"),
                 encoding="utf-8")
    data = read_list(f)
    assert [e.source_id for e in data.entities] == ["900101", "900102"]
    reasons = [s.reason for s in data.meta[0].skipped]
    assert reasons == ["sanctionEntity #3: duplicate id 900101",
                       "sanctionEntity #4: unknown subjectType 'spaceship'",
                       "sanctionEntity 900104 has no name"]
