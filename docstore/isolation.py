"""Converting an upload in a child process, under CPU-time, memory and wall-clock limits.

A staff upload is untrusted input for three libraries (a YAML parser, a zip reader, an XML
toolkit and python-docx on top); :mod:`docstore.uploads` refuses every bomb we know of, but
the next one should cost a bounded amount of one child process, never the web app's event
loop, memory or life. So :func:`convert_isolated` runs :func:`~docstore.uploads.convert_upload`
in a fresh ``python -m docstore.isolation`` that limits itself (``resource.setrlimit``:
CPU seconds and address space) before it reads the file, and the parent kills it when the
wall-clock time runs out. Whatever goes wrong comes back as :class:`UploadRejected` with a
message staff can act on.

:func:`convert_isolated` blocks; the web app awaits it in a worker thread. At most
:data:`MAX_CONCURRENT` conversions run at once per process, so a burst of uploads cannot
start a child per request.

The protocol on the pipes: one JSON line (file name, size, limits) and the file's bytes on
the child's stdin; one JSON object on its stdout, ``{"converted": {...}}`` or
``{"rejected": {"message", "line"}}``.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from docstore.uploads import ConvertedUpload, UploadRejected, convert_upload

log = logging.getLogger(__name__)

__all__ = ["MAX_CONCURRENT", "ConversionLimits", "convert_isolated", "worker_argv"]

MAX_CONCURRENT = 2
_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT)
_PROJECT_ROOT = Path(__file__).resolve().parent.parent

TOO_SLOW = "文件过于复杂，转换超出了时间限制，无法导入；请拆分为几个较小的文件后再上传。"
TOO_BIG = "文件过于复杂，转换所需内存超出限制，无法导入；请拆分为几个较小的文件后再上传。"
BUSY = "当前正在转换的上传文件较多，请稍后再试。"
FAILED = "文件无法转换，请检查文件内容，或另存为 UTF-8 文本后重试。"


@dataclass(frozen=True)
class ConversionLimits:
    """What one conversion may use: CPU seconds and address space in the child, and the
    wall-clock seconds the parent waits (CPU time stops while the child waits for a core,
    so the wall clock is the longer of the two)."""

    cpu_seconds: int = 10
    memory_bytes: int = 512 * 1024 * 1024
    wall_seconds: float = 30.0


def worker_argv() -> list[str]:
    """The child's command line: this module, run by the same interpreter."""
    return [sys.executable, "-m", "docstore.isolation"]


def convert_isolated(
    filename: str, data: bytes, *, max_bytes: int, limits: ConversionLimits
) -> ConvertedUpload:
    """:func:`convert_upload` in a limited child process; blocks until it answers or is killed.

    Raises :class:`UploadRejected` (and nothing else) for a file that cannot be converted,
    including one that exceeds a limit or keeps the conversion slots busy too long.
    """
    if not _SLOTS.acquire(timeout=limits.wall_seconds):
        raise UploadRejected(BUSY)
    try:
        return _run_child(filename, data, max_bytes, limits)
    finally:
        _SLOTS.release()


def _run_child(
    filename: str, data: bytes, max_bytes: int, limits: ConversionLimits
) -> ConvertedUpload:
    header = {
        "filename": filename,
        "size": len(data),
        "max_bytes": max_bytes,
        "cpu_seconds": limits.cpu_seconds,
        "memory_bytes": limits.memory_bytes,
    }
    request = json.dumps(header).encode() + b"\n" + data
    try:
        completed = subprocess.run(
            worker_argv(),
            input=request,
            capture_output=True,
            timeout=limits.wall_seconds,
            env=_child_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        log.warning("upload %r: conversion killed after %.0f s", filename, limits.wall_seconds)
        raise UploadRejected(TOO_SLOW) from exc
    return _outcome(filename, completed)


def _child_environment() -> dict[str, str]:
    """Only what the child needs: this checkout first on the import path (so it runs the
    same code as the parent wherever the package is installed from) and a UTF-8 locale. The
    parent's secrets (the database URL, the secret key) stay out of the process that reads
    untrusted files."""
    path = os.environ.get("PYTHONPATH", "")
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join(p for p in (str(_PROJECT_ROOT), path) if p),
    }


def _outcome(filename: str, completed: subprocess.CompletedProcess[bytes]) -> ConvertedUpload:
    """The child's answer, or the reason it gave none (a signal from a limit, a crash)."""
    code = completed.returncode
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        log.warning("upload %r: conversion stopped by signal %d", filename, -code)
        raise UploadRejected(TOO_SLOW)
    try:
        answer: Any = json.loads(completed.stdout) if code == 0 else None
    except ValueError:
        answer = None
    if isinstance(answer, dict) and isinstance(answer.get("rejected"), dict):
        rejected = answer["rejected"]
        line = rejected.get("line")
        raise UploadRejected(str(rejected["message"]), line if isinstance(line, int) else None)
    if isinstance(answer, dict) and isinstance(answer.get("converted"), dict):
        try:
            return _converted(answer["converted"])
        except (KeyError, TypeError, AttributeError):
            log.exception("upload %r: the conversion process answered nonsense", filename)
            raise UploadRejected(FAILED) from None
    log.error(
        "upload %r: conversion process exited with %d: %s",
        filename,
        code,
        completed.stderr.decode("utf-8", "replace")[-2000:],
    )
    raise UploadRejected(FAILED)


def _converted(fields: dict[str, Any]) -> ConvertedUpload:
    """A :class:`ConvertedUpload` from the child's JSON (``asdict`` of one)."""
    return ConvertedUpload(
        title=str(fields["title"]),
        metadata={str(k): str(v) for k, v in fields["metadata"].items()},
        content=str(fields["content"]),
        encoding=str(fields["encoding"]),
        warnings=tuple(str(w) for w in fields["warnings"]),
    )


# --- the child ---------------------------------------------------------------------------


def apply_limits(*, cpu_seconds: int, memory_bytes: int) -> None:
    """Limit this process: SIGXCPU after ``cpu_seconds`` of CPU (SIGKILL two seconds later),
    ``MemoryError`` beyond ``memory_bytes`` of address space, and no core file."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def answer(header: dict[str, Any], data: bytes) -> dict[str, Any]:
    """The child's answer for one request: the converted upload or the refusal, as JSON."""
    try:
        converted = convert_upload(
            str(header["filename"]), data, max_bytes=int(header["max_bytes"])
        )
    except UploadRejected as exc:
        return {"rejected": {"message": exc.message, "line": exc.line}}
    except MemoryError:
        return {"rejected": {"message": TOO_BIG, "line": None}}
    return {"converted": asdict(converted)}


def _child_main() -> int:
    """Read one request from stdin, limit this process, convert, answer on stdout."""
    header = json.loads(sys.stdin.buffer.readline())
    apply_limits(cpu_seconds=int(header["cpu_seconds"]), memory_bytes=int(header["memory_bytes"]))
    data = sys.stdin.buffer.read(int(header["size"]))
    sys.stdout.buffer.write(json.dumps(answer(header, data)).encode("ascii"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())
