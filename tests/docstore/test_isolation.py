"""The conversion runs in a child process that is limited in CPU time, memory and wall-clock
time; whatever happens there comes back as UploadRejected with a Chinese message."""

from __future__ import annotations

import io
import subprocess
import sys

import docx
import pytest

from docstore import isolation
from docstore.isolation import ConversionLimits, convert_isolated
from docstore.uploads import UploadRejected, convert_upload
from tests.docstore.bombs import alias_bomb, hang_guard, lying_docx

LIMITS = ConversionLimits(cpu_seconds=10, memory_bytes=512 << 20, wall_seconds=30)


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("第四章 推进京津冀协同发展", style="Heading 1")
    document.add_paragraph("深入贯彻国家和北京市的战略部署。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.md", "---\ntitle: 规划\nissuer: 区政府\n---\n\n# 一、总则\n\n正文。\n".encode()),
        ("plan.txt", "第一章 总则\n一、目标\n建设新区。\n".encode("gb18030")),
        ("plan.docx", _docx()),
    ],
)
def test_the_child_converts_as_the_parent_would(name: str, data: bytes) -> None:
    assert convert_isolated(name, data, max_bytes=2_000_000, limits=LIMITS) == convert_upload(
        name, data, max_bytes=2_000_000
    )


def test_a_refusal_crosses_the_process_boundary_with_its_line() -> None:
    with pytest.raises(UploadRejected) as info:
        convert_isolated(
            "x.md", "# 一\n\n正文\n\n### 跳级\n".encode(), max_bytes=10_000, limits=LIMITS
        )
    assert info.value.line == 5
    assert "不能跳级" in info.value.message


def test_bombs_are_refused_in_the_child() -> None:
    with hang_guard(), pytest.raises(UploadRejected, match="锚点或别名"):
        convert_isolated("bomb.md", alias_bomb(7), max_bytes=2_000_000, limits=LIMITS)
    small = ConversionLimits(cpu_seconds=10, memory_bytes=256 << 20, wall_seconds=30)
    # Inflated whole, this member alone would need 600 MB: refused as broken within 256 MB.
    with hang_guard(), pytest.raises(UploadRejected, match="docx"):
        convert_isolated("lying.docx", lying_docx(), max_bytes=2_000_000, limits=small)


def test_the_wall_clock_limit_kills_a_child_that_does_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        isolation, "worker_argv", lambda: [sys.executable, "-c", "import time; time.sleep(60)"]
    )
    limits = ConversionLimits(cpu_seconds=10, memory_bytes=512 << 20, wall_seconds=1)
    with hang_guard(), pytest.raises(UploadRejected, match="时间限制"):
        convert_isolated("slow.md", b"# a\n\nb\n", max_bytes=10_000, limits=limits)


SPIN = (
    "import json, sys\n"
    "from docstore.isolation import apply_limits\n"
    "header = json.loads(sys.stdin.buffer.readline())\n"
    "apply_limits(cpu_seconds=header['cpu_seconds'], memory_bytes=header['memory_bytes'])\n"
    "while True:\n"
    "    pass\n"
)


def test_the_cpu_limit_stops_a_runaway_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "worker_argv", lambda: [sys.executable, "-c", SPIN])
    limits = ConversionLimits(cpu_seconds=1, memory_bytes=512 << 20, wall_seconds=60)
    with hang_guard(), pytest.raises(UploadRejected, match="时间限制"):
        convert_isolated("spin.md", b"# a\n\nb\n", max_bytes=10_000, limits=limits)


def test_the_memory_limit_holds_in_the_child() -> None:
    script = (
        "from docstore.isolation import apply_limits\n"
        "apply_limits(cpu_seconds=10, memory_bytes=256 << 20)\n"
        "data = bytearray(512 << 20)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert completed.returncode == 1
    assert b"MemoryError" in completed.stderr


def test_running_out_of_memory_is_reported_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: object, **kwargs: object) -> object:
        raise MemoryError

    monkeypatch.setattr(isolation, "convert_upload", exhausted)
    answer = isolation.answer({"filename": "a.docx", "max_bytes": 10}, b"x")
    assert answer == {"rejected": {"message": isolation.TOO_BIG, "line": None}}


def test_a_crashing_child_is_a_refusal_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        isolation, "worker_argv", lambda: [sys.executable, "-c", "import os; os.abort()"]
    )
    with pytest.raises(UploadRejected, match="无法转换"):
        convert_isolated("a.md", b"# a\n\nb\n", max_bytes=10_000, limits=LIMITS)
