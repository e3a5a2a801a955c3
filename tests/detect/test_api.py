"""The public surface of detect, tracks and geo is small and pinned."""

from __future__ import annotations

import armswatch.detect
import armswatch.geo
import armswatch.tracks
from armswatch.detect import DETECTORS, DetectConfig
from armswatch.detect._base import params_from


def test_exported_names() -> None:
    assert armswatch.detect.__all__ == [
        "DEFAULT_DETECTORS", "DETECTORS", "Context", "DetectConfig", "DetectReport",
        "Detector", "default_ports", "params_from", "run_detectors",
    ]
    assert armswatch.tracks.__all__ == [
        "CLEAN_COLUMNS", "TRACK_COLUMNS", "TRACK_SCHEMA", "SegmentParams", "clean_positions",
        "segment_table",
    ]
    assert "LandMask" in armswatch.geo.__all__
    assert "read_layer" in armswatch.geo.__all__


def test_every_default_detector_is_registered_with_documented_params() -> None:
    armswatch.detect._load_detectors()
    for name in DetectConfig().detectors:
        det = DETECTORS.get(name)
        assert det.ref == f"{name}@1"
        assert det.params_type.__doc__  # defaults are explained
        params_from(det.params_type, {})  # and valid
