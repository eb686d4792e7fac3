"""The vectors' identity: what makes an index built before a change be rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

from knowledge.embedding.embedder import model_identity, query_identity, served_arithmetic


def _model(root: Path) -> Path:
    root.mkdir()
    (root / "config.json").write_text("{}")
    (root / "model.safetensors").write_bytes(b"\0" * 8)
    return root


def test_an_export_computing_in_int8_changes_the_id(tmp_path: Path) -> None:
    model = _model(tmp_path / "e5")
    plain = model_identity(str(model), "query: ", "passage: ")
    (model / "onnx").mkdir()
    record = model / "onnx" / "export.json"
    record.write_text(json.dumps({"table": "int8-block32"}))
    # The int8 table gives the same vectors: the same id.
    assert model_identity(str(model), "query: ", "passage: ") == plain
    record.write_text(json.dumps({"linear": "q4-block32-int8-compute"}))
    assert served_arithmetic(model) == "+q4-block32-int8-compute"
    assert model_identity(str(model), "query: ", "passage: ") != plain
    assert "+q4-block32-int8-compute|q=query: " in query_identity(model, "query: ")


def test_an_unreadable_record_names_no_arithmetic(tmp_path: Path) -> None:
    model = _model(tmp_path / "e5")
    assert served_arithmetic(model) == ""
    (model / "onnx").mkdir()
    (model / "onnx" / "export.json").write_text("not json")
    assert served_arithmetic(model) == ""
    (model / "onnx" / "export.json").write_text("[1, 2]")
    assert served_arithmetic(model) == ""
    assert served_arithmetic("intfloat/multilingual-e5-small") == ""
