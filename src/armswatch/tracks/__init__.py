"""Tracks: per-MMSI segmentation and cleaning of AIS positions."""

from armswatch.tracks._clean import CLEAN_COLUMNS, clean_positions
from armswatch.tracks._schema import TRACK_COLUMNS, TRACK_SCHEMA
from armswatch.tracks._segment import SegmentParams, segment_table

__all__ = [
    "CLEAN_COLUMNS",
    "TRACK_COLUMNS",
    "TRACK_SCHEMA",
    "SegmentParams",
    "clean_positions",
    "segment_table",
]
