from __future__ import annotations

import armswatch.ais as ais
from armswatch.ais import AIS_POSITIONS_SCHEMA, AIS_STATICS_SCHEMA
from armswatch.model.tables import POSITIONS_SCHEMA, STATICS_SCHEMA


def test_exported_names_are_pinned() -> None:
    assert sorted(ais.__all__) == sorted([
        "AIS_OTHER_SCHEMA", "AIS_POSITIONS_SCHEMA", "AIS_STATICS_SCHEMA", "LAYOUTS",
        "AisEncodeError", "DecodeOptions", "DecodeResult", "Field", "IngestReport", "Kind",
        "Layout", "decode_file", "decode_lines", "decode_payload", "encode_batch",
        "encode_payload", "iter_decode", "layout_for", "read_csv_export", "to_sentences",
        "with_tag_block", "write_dataset",
    ])


def test_shared_schemas_are_a_prefix() -> None:
    assert list(AIS_POSITIONS_SCHEMA)[: len(POSITIONS_SCHEMA)] == list(POSITIONS_SCHEMA)
    assert list(AIS_STATICS_SCHEMA)[: len(STATICS_SCHEMA)] == list(STATICS_SCHEMA)
