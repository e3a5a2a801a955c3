"""armswatch-match@1 stays reproducible: its scores, recorded when @2 was introduced.

A result records the algorithm's ``name@version``; re-running an old version must give
the old score. These pairs (the case table's and a few more, typed by hand) were scored
by ``armswatch-match@1`` before any later version existed; a change that moves them is
an edit of @1 in place and must become a new version instead.
"""

from __future__ import annotations

import pytest

from armswatch.screening import ALGORITHMS

V1_SCORES = [
    ('person', 'Kim Jong Un', 'Kim Jong-un', 1.000000),
    ('person', 'KIM Jong-Un', 'Kim Jong Un', 1.000000),
    ('person', 'Gim Jeong-eun', 'Kim Jong Un', 0.928571),
    ('person', '김정은', 'Kim Jong Un', 0.940476),
    ('person', '金正恩', 'Kim Jong Un', 0.940476),
    ('person', 'Choi Ryong Hae', 'Choe Ryong Hae', 0.952381),
    ('person', 'Jo Yon Jun', 'Cho Yon Jun', 0.952381),
    ('person', 'Rhee Yong Ho', 'Ri Yong Ho', 0.952381),
    ('person', 'Lee Yong Ho', 'Ri Yong Ho', 0.952381),
    ('person', 'Park Pong Ju', 'Pak Pong Ju', 0.761905),
    ('person', "So'ng Kim", 'Song Kim', 1.000000),
    ('person', 'Ri Yong-chol', 'Ri Yong Chol', 1.000000),
    ('person', 'Kim Yong-chol', 'Kim Yong-chun', 0.375000),
    ('person', '김종은', '김정은', 0.375000),
    ('person', 'NASRALLAH, Hasan', 'Hasan Nasrallah', 1.000000),
    ('person', 'Mr. Rami Makhlouf', 'Rami Makhlouf', 1.000000),
    ('person', 'Osama bin Laden', 'Usama ibn Laden', 0.790698),
    ('person', 'Bashar al-Assad', 'Hafez al-Assad', 0.273810),
    ('person', 'SALMAN BIN MUHAMMAD AL-RAWI', 'MUHAMMAD BIN SALMAN AL-RAWI', 0.600000),
    ('person', 'BARZAN IBRAHIM AL-MOSULI', 'BARZAN IBRAHIM AL-TIKRITI', 0.388554),
    ('person', 'Hans J Friedrich', 'Hans Joachim Friedrich', 0.917933),
    ('person', 'Hans O Friedrich', 'Hans Joachim Friedrich', 0.447761),
    ('person', 'VladimirPutin', 'Vladimir Putin', 1.000000),
    ('person', 'Vladimir Vladimirovich Putin', 'Vladimir Putin', 0.950000),
    ('person', 'Владимир Путин', 'Vladimir Putin', 1.000000),
    ('person', 'محمد علي', 'Mohamed Ali', 0.725000),
    ('person', 'ولادیمیر پوتین', 'Vladimir Putin', 0.847143),
    ('person', 'Βλαντίμιρ Πούτιν', 'Vladimir Putin', 0.702381),
    ('person', '习近平', 'Xi Jinping', 1.000000),
    ('org', 'OOO Oboronnye Initsiativy', 'Oboronnye Initsiativy LLC', 1.000000),
    ('org', 'ООО Оборонные Инициативы', 'OOO Oboronnye Initsiativy', 0.892857),
    ('org', 'Siemens Aktiengesellschaft', 'Siemens AG', 1.000000),
    ('org', 'JSC TACTICAL MISSILES CORP.', 'TACTICAL MISSILES CORPORATION JSC', 1.000000),
    ('org', 'Banco Santander S.A.', 'Banco Santander Chile S.A.', 0.571429),
    ('org', 'A.B.C. Company', 'ABC Co.', 1.000000),
    ('vessel', 'ZU ZAG BONG 6', 'ZU ZAG BONG 5', 0.388554),
    ('vessel', 'ZU ZAG BONG 6', 'ZU ZAG BONG 6', 1.000000),
    ('vessel', 'MV Hellenic Spirit', 'Hellenic Spirit', 1.000000),
    ('vessel', 'M/V HELLENIC SPIRIT', 'MT Hellenic Spirit', 1.000000),
    ('vessel', 'Victory', 'Victory 3', 0.250000),
    ('person', 'Vladimir Vladimirovich Putin', 'Путин, Владимир', 0.950000),
    ('person', 'V. V. Putin', 'Vladimir Putin', 0.250000),
    ('person', 'Benjamin Netanyahu', 'Bibi Netanyahu', 0.250000),
    ('person', 'Sergejs Lavrovs', 'Sergey Lavrov', 0.642857),
    ('person', 'Präsident Putin', 'Vladimir Putin', 0.620000),
    ('person', '블라디미르 푸틴', 'Vladimir Putin', 0.107143),
    ('person', 'Hsi Chin-ping', 'Xi Jinping', 0.160714),
    ('person', 'Tom Cook', 'Tim Cook', 0.642857),
    ('person', 'Mohammed bin Salman', 'bin Salman Mohammed', 0.600000),
    ('person', 'דוד', 'David', 0.000000),
    ('org', 'Siemens AG', 'SiemensAG', 0.682540),
    ('org', 'Blackstone Partners VI L.P.', 'Blackstone Partners VII L.P.', 0.302239),
    ('org', 'Homs Refinery Corporation', 'The Homs Refinery Company', 0.555556),
    ('org', 'acme', 'ACME Europe GmbH', 0.400000),
    ('any', 'Al Qaeda', "Al-Qa'ida/Islamic Army", 0.454410),
    ('vessel', 'Snow Storm 1', 'Snow Storm 2', 0.375000),
]


@pytest.mark.parametrize(("family", "query", "listed", "expected"), V1_SCORES)
def test_v1_scores_unchanged(family: str, query: str, listed: str, expected: float) -> None:
    algo = ALGORITHMS.get("armswatch-match@1")
    assert algo.pair_score(query, listed, family) == pytest.approx(expected, abs=1e-6)
