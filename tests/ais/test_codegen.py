from __future__ import annotations

from armswatch.ais._codegen import TARGET, generate


def test_generated_kernels_are_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == generate(), (
        "the layout spec changed: run `python -m armswatch.ais._codegen`"
    )


def test_docs_reference_is_current() -> None:
    from armswatch.ais._docs import DOC, render

    text = DOC.read_text(encoding="utf-8")
    assert text == render(text), "run `python -m armswatch.ais._docs`"
