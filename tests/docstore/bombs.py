"""Files built to exhaust an upload converter (the security review's H1 findings), shared by
the upload, isolation and API tests."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

import docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_START = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
).encode()
BODY_END = b"</w:body></w:document>"
TEXT_PARAGRAPH = "<w:p><w:r><w:t>规划</w:t></w:r></w:p>".encode()


def alias_bomb(levels: int) -> bytes:
    """Front matter whose last field names 9**levels items through anchors and aliases."""
    lines = ["---", "title: 规划", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join([*lines, "---", "", "正文。", ""]).encode()


def _skeleton() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("正文")
    document.save(buffer)
    return buffer.getvalue()


SKELETON = _skeleton()


def docx_with(parts: dict[str, Callable[[IO[bytes]], None]]) -> bytes:
    """A real .docx (python-docx's template) with some parts written by ``parts``."""
    source = zipfile.ZipFile(io.BytesIO(SKELETON))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        names = [info.filename for info in source.infolist()]
        for name in names + [n for n in parts if n not in names]:
            if name in parts:
                with archive.open(name, "w", force_zip64=True) as member:
                    parts[name](member)
            else:
                archive.writestr(name, source.read(name))
    return buffer.getvalue()


def body_of(paragraph: bytes, count: int) -> Callable[[IO[bytes]], None]:
    """A document.xml of ``count`` copies of one paragraph, written in blocks."""

    def write(member: IO[bytes]) -> None:
        member.write(BODY_START)
        block = paragraph * 1000
        for _ in range(count // 1000):
            member.write(block)
        member.write(paragraph * (count % 1000))
        member.write(BODY_END)

    return write


def lying_docx(real: int = 600 << 20, declared: int = 1000) -> bytes:
    """A .docx whose document.xml declares ``declared`` bytes but inflates to ``real``."""

    def zeros(member: IO[bytes]) -> None:
        chunk = bytes(1 << 20)
        for _ in range(real >> 20):
            member.write(chunk)

    data = bytearray(docx_with({"word/document.xml": zeros}))
    name = b"word/document.xml"
    at = data.find(name)
    while at >= 0:
        if data[at - 30 : at - 26] == b"PK\x03\x04":  # local header: sizes at +18/+22
            struct.pack_into("<I", data, at - 30 + 22, declared)
        if data[at - 46 : at - 42] == b"PK\x01\x02":  # central directory: sizes at +20/+24
            struct.pack_into("<I", data, at - 46 + 24, declared)
        at = data.find(name, at + 1)
    return bytes(data)


HANG_GUARD = 15.0


@contextmanager
def hang_guard() -> Iterator[None]:
    """Fails a test that took longer than any refusal should (not a timing assertion: the
    old code took from 5 s to minutes on these files)."""
    started = time.monotonic()
    yield
    assert time.monotonic() - started < HANG_GUARD
