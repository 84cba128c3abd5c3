"""The worker's web routes on Faust's web server: the live dashboard, its event stream and API, and /metrics."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

import orjson
from aiohttp import web

from streams.runtime.watch import Watcher
from streams.settings import Settings
from streams.watch.hub import Hub
from streams.watch.metrics import CONTENT_TYPE, Metrics

#: The event stream sends the view when it changed, at most this often (seconds).
PUSH_INTERVAL = 0.5
#: A comment line this often keeps proxies from closing an idle event stream (seconds).
KEEPALIVE = 15.0
#: An event stream ends after this long; the browser's EventSource reconnects by itself. Bounded so a worker
#: that stops never waits on an open stream (Faust gives handlers 60 s to finish).
STREAM_SECONDS = 300.0
STATIC = ("dashboard.html", "dashboard.js", "dashboard.css")
TYPES = {"html": "text/html", "js": "text/javascript", "css": "text/css"}


class Dashboard:
    """The routes, holding the hub and metrics they serve (no module state)."""

    def __init__(self, hub: Hub, metrics: Metrics, settings: Settings) -> None:
        self.hub = hub
        self.metrics = metrics
        self.settings = settings
        self.closing = asyncio.Event()
        self.files = {name: resources.files("streams.watch").joinpath("static", name).read_bytes()
                      for name in STATIC}

    def install(self, web_app: Any) -> None:
        """Add the routes to Faust's aiohttp application (before the worker starts it)."""
        router = web_app.router
        router.add_get("/dashboard", self.page)
        router.add_get("/dashboard/", self.page)
        router.add_get("/dashboard/static/{name}", self.static)
        router.add_get("/dashboard/api/view", self.view)
        router.add_get("/dashboard/api/path", self.path)
        router.add_get("/dashboard/events", self.events)
        router.add_get("/metrics", self.prometheus)
        web_app.on_shutdown.append(self._closing)

    async def _closing(self, _app: Any) -> None:
        self.closing.set()

    async def page(self, request: Any) -> Any:
        return web.Response(body=self.files["dashboard.html"], content_type="text/html", charset="utf-8")

    async def static(self, request: Any) -> Any:
        name = request.match_info["name"]
        if name not in self.files:
            raise web.HTTPNotFound()
        return web.Response(body=self.files[name], content_type=TYPES[name.rsplit(".", 1)[1]], charset="utf-8")

    def _json(self, value: Any) -> Any:
        return web.Response(body=orjson.dumps(value), content_type="application/json")

    async def view(self, request: Any) -> Any:
        return self._json(self.hub.view())

    async def path(self, request: Any) -> Any:
        return self._json(self.hub.path(request.query.get("q", "")))

    async def prometheus(self, request: Any) -> Any:
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    async def events(self, request: Any) -> Any:
        """Server-sent events: `view` with the whole dashboard whenever it changed (at most every 0.5 s)."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                               "X-Accel-Buffering": "no"})
        await response.prepare(request)
        shown, beat, until = -1, time.monotonic(), time.monotonic() + STREAM_SECONDS
        try:
            await response.write(b"retry: 1000\n\n")
            while not self.closing.is_set() and time.monotonic() < until:
                if self.hub.version != shown:
                    shown = self.hub.version
                    await response.write(b"event: view\ndata: " + orjson.dumps(self.hub.view()) + b"\n\n")
                    beat = time.monotonic()
                elif time.monotonic() - beat > KEEPALIVE:
                    await response.write(b": keep-alive\n\n")
                    beat = time.monotonic()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.closing.wait(), PUSH_INTERVAL)
        except ConnectionResetError:  # the page went away
            pass
        return response


def install(app: Any, settings: Settings, partner_ids: list[str], pipeline: Any | None = None, *,
            on_partners: list[Callable[[list[Any]], None]] | None = None) -> Metrics:
    """Give a Faust app its metrics (the pipeline's observer) and, with the web server on, the dashboard, its
    feed (a task tailing our topics) and /metrics. Returns the metrics. The feed starts from the pipeline's
    partners and joins `on_partners` (called by the live registry's follower with each new registry)."""
    def healthy() -> bool:
        return pipeline is None or pipeline.policy.tripped is None

    def health() -> tuple[bool, str]:
        trip = pipeline.policy.tripped if pipeline is not None else None
        return (trip is None, trip.describe() if trip is not None else "")

    def remembered() -> float:
        return float(len(pipeline.state.dedupe_stories)) if pipeline is not None else 0.0

    metrics = Metrics(remembered=remembered, healthy=healthy)
    if pipeline is not None:
        pipeline.observer = metrics
    if not settings.web_enabled:
        return metrics
    hub = Hub()
    watcher = Watcher(settings, hub, metrics, partner_ids, health=health)
    if pipeline is not None:
        watcher.set_partners(pipeline.partners)
    if on_partners is not None:
        on_partners.append(watcher.set_partners)
    Dashboard(hub, metrics, settings).install(app.web.web_app)

    async def feed_dashboard() -> None:
        await watcher.run()

    app.task(feed_dashboard)
    return metrics
