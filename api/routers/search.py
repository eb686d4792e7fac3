"""GET /api/search: the passages nearest a query, straight from the index (no dialogue)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from api.deps import KnowledgeDep, MetricsDep, RateLimitsDep, SettingsDep
from api.ratelimit import public_limit, too_many_requests
from api.schemas import ErrorBody, SearchResponse, SearchResult

router = APIRouter(prefix="/api", tags=["search"])


@router.get(
    "/search",
    response_model=SearchResponse,
    responses={422: {"model": ErrorBody}, 429: {"model": ErrorBody}, 503: {"model": ErrorBody}},
)
async def search(
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    limits: RateLimitsDep,
    metrics: MetricsDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SearchResponse | JSONResponse:
    """Each call embeds the query (CPU): limited per client like the chat."""
    wait = await public_limit(limits, limits.rules.search, request)
    if wait:
        return too_many_requests(wait, "查询过于频繁，请稍后再试。")
    engine = knowledge.engine
    if engine is None:
        raise HTTPException(status_code=503, detail=f"the index is {knowledge.state}")
    if not q.strip():
        raise HTTPException(status_code=422, detail="q must not be blank")
    started = time.perf_counter()
    hits = await asyncio.to_thread(engine.search, q, min(k, settings.search_max_k))
    metrics.search_seconds.observe(time.perf_counter() - started)
    return SearchResponse(
        results=[
            SearchResult(
                doc_id=h.passage.doc_id,
                section=h.passage.section,
                text=h.passage.text,
                score=round(h.fused, 6),
            )
            for h in hits
        ]
    )
