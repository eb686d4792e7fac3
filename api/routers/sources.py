"""GET /sources/{doc_id}: a source document with a stable anchor on every passage.

A citation links to ``/sources/<doc_id>#<anchor>``; the passage it names is highlighted by CSS
(``:target``), so it works without JavaScript. Text is escaped, never trusted as HTML.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from api.deps import KnowledgeDep
from api.schemas import json_error
from knowledge.chunking import Passage

router = APIRouter(tags=["sources"])

_STYLE = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;line-height:1.8;
max-width:46rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem} h2{font-size:1.2rem} h3{font-size:1.05rem}
.passage:target{background:#ffe58f;outline:2px solid #ad6800;scroll-margin-top:30vh}
.note{color:#444;font-size:.9rem;border-bottom:1px solid #ddd;padding-bottom:.5rem}
"""
_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style></head><body>
<p class="note">资料原文。带高亮的句子是回答所引用的内容。</p>
<h1>{title}</h1>
{body}
</body></html>"""


def _source_csp() -> str:
    """The page is text and its one inline style sheet (allowed by its hash): no script, no
    other resource, and never framed (a published text inside a hostile page could be made to
    say something else by overlays; citations open it in a tab of its own)."""
    digest = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


SOURCE_HEADERS = {"Content-Security-Policy": _source_csp(), "X-Frame-Options": "DENY"}


def render_document(title: str, passages: list[Passage]) -> str:
    parts: list[str] = []
    shown: tuple[str, ...] = ()
    paragraph: int | None = None
    for p in passages:
        if p.section_path != shown:
            if paragraph is not None:
                parts.append("</p>")
                paragraph = None
            common = 0
            while (
                common < min(len(shown), len(p.section_path))
                and shown[common] == p.section_path[common]
            ):
                common += 1
            for depth in range(common, len(p.section_path)):
                level = min(depth + 2, 6)
                anchor = (
                    f' id="{escape(p.section_anchor)}"' if depth == len(p.section_path) - 1 else ""
                )
                parts.append(f"<h{level}{anchor}>{escape(p.section_path[depth])}</h{level}>")
            shown = p.section_path
        if p.paragraph_index != paragraph:
            if paragraph is not None:
                parts.append("</p>")
            parts.append("<p>")
            paragraph = p.paragraph_index
        parts.append(f'<span class="passage" id="{escape(p.anchor)}">{escape(p.text)}</span>')
    if paragraph is not None:
        parts.append("</p>")
    return _PAGE.format(title=escape(title), style=_STYLE, body="\n".join(parts))


@router.get(
    "/sources/{doc_id}",
    response_class=HTMLResponse,
    responses={
        404: json_error("No published document has this id."),
        503: json_error("The index is not loaded yet."),
    },
)
def source(doc_id: str, knowledge: KnowledgeDep) -> HTMLResponse:
    """Sync on purpose (run in a thread): the engine may be loading a new index build."""
    engine = knowledge.engine
    if engine is None:
        raise HTTPException(status_code=503, detail=f"the index is {knowledge.state}")
    passages = engine.document_passages(doc_id)
    if not passages:
        # Short, and without the id: the path may be kilobytes long.
        raise HTTPException(status_code=404, detail="没有这个已发布的文档。")
    return HTMLResponse(render_document(passages[0].doc_title, passages), headers=SOURCE_HEADERS)
