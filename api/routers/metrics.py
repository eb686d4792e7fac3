"""GET /metrics: Prometheus' text format (api/metrics.py holds the series).

Readiness is checked at each scrape, the same way /readyz checks it, so an alert on
``planbot_component_ready`` sees what the load balancer sees. Each replica (machine) exposes its
own; Prometheus scrapes every replica directly, not through the load balancer (docs/DEPLOY.md).
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ActionsDep, DatabaseDep, KnowledgeDep, MetricsDep, RasaDep
from api.metrics import CONTENT_TYPE
from api.routers.health import readiness

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
    summary="Counters, histograms and gauges for Prometheus, all named planbot_*.",
)
async def metrics(
    rasa: RasaDep,
    knowledge: KnowledgeDep,
    database: DatabaseDep,
    actions: ActionsDep,
    series: MetricsDep,
) -> Response:
    checked = await readiness(rasa, knowledge, database, actions)
    series.record_readiness(checked.ready, checked.up)
    body = await run_in_threadpool(series.render)
    return Response(content=body, media_type=CONTENT_TYPE)
