"""Report the closes of a Python WebSocket server to closewatch.

One event per closed connection (code, reason, who closed first, clean or not,
lifetime, messages and bytes) goes to the collector's ingest API,
``POST /api/v1/events``, in batches. Standard library only, plus the
``websockets`` package the server already uses.

    reporter = ClosewatchReporter("http://127.0.0.1:8080", api_key, service="chat")
    async with websockets.serve(instrument(handler, reporter, route="/chat"), host, port):
        ...
    await reporter.close()

Delivery: events wait in a bounded queue (``max_queue``; the oldest are dropped
beyond it and reported as ``meta.dropped``), go out every ``flush_interval``
seconds or when ``batch_size`` are queued, and are retried with the same ids
(the collector stores an id once) on network errors, 408, 429 and 5xx, honouring
``Retry-After``. Other 4xx answers are not retried: the batch is reported on
``on_error`` and dropped.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional

__all__ = ["ClosewatchReporter", "instrument"]


class ClosewatchReporter:
    """A queue of close events and the task that delivers it."""

    def __init__(
        self,
        collector_url: str,
        api_key: str,
        service: str,
        instance: Optional[str] = None,
        batch_size: int = 500,
        flush_interval: float = 5.0,
        max_queue: int = 10_000,
        timeout: float = 10.0,
        on_error: Optional[Callable[[str], None]] = None,
    ) -> None:
        self.endpoint = collector_url.rstrip("/") + "/api/v1/events"
        self.api_key = api_key
        self.service = service
        self.instance = instance or f"{socket.gethostname()}:{os.getpid()}"
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_queue = max_queue
        self.timeout = timeout
        self.on_error = on_error or (lambda message: None)
        self._queue: Deque[Dict[str, Any]] = deque()
        self._dropped = 0
        self._wake = asyncio.Event()
        self._task: Optional[asyncio.Task[None]] = None
        self._closing = False
        self.delivered = 0

    def report(
        self,
        code: Optional[int],
        reason: str,
        was_clean: bool,
        initiator: str,
        route: str,
        duration_ms: Optional[int] = None,
        messages_in: Optional[int] = None,
        messages_out: Optional[int] = None,
        bytes_in: Optional[int] = None,
        bytes_out: Optional[int] = None,
        labels: Optional[Dict[str, str]] = None,
    ) -> None:
        """Queues one close. Never raises: a reporter must not break the server it watches."""
        event: Dict[str, Any] = {
            # The idempotency key: a retry of the same batch never counts twice.
            "id": str(uuid.uuid4()),
            "ts": int(time.time() * 1000),
            "code": code,
            "reason": reason,
            "wasClean": was_clean,
            "initiator": initiator,
            "service": self.service,
            "instance": self.instance,
            "route": route,
        }
        for field, value in (
            ("durationMs", duration_ms),
            ("messagesIn", messages_in),
            ("messagesOut", messages_out),
            ("bytesIn", bytes_in),
            ("bytesOut", bytes_out),
        ):
            if value is not None:
                event[field] = value
        if labels:
            event["labels"] = labels
        if len(self._queue) >= self.max_queue:
            self._queue.popleft()
            self._dropped += 1
        self._queue.append(event)
        self._ensure_task()
        if len(self._queue) >= self.batch_size:
            self._wake.set()

    async def flush(self) -> None:
        """Sends everything queued now (retrying as needed)."""
        while self._queue:
            await self._send_batch()

    async def close(self) -> None:
        """Delivers what is queued and stops the background task."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task
        await self.flush()

    def _ensure_task(self) -> None:
        if self._task is None and not self._closing:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while not self._closing:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.flush_interval)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            if self._queue and not self._closing:
                await self._send_batch()

    async def _send_batch(self) -> None:
        batch = [self._queue[i] for i in range(min(self.batch_size, len(self._queue)))]
        body = json.dumps({"events": batch, "meta": {"sdk": "closewatch-python-example/1", "dropped": self._dropped}}).encode()
        attempt = 0
        while True:
            attempt += 1
            status, text, retry_after = await asyncio.to_thread(self._post, body)
            if status is not None and 200 <= status < 300 or status == 400:
                if status == 400 or json.loads(text).get("rejected"):
                    self.on_error(f"closewatch rejected events: {text[:300]}")
                for _ in batch:
                    self._queue.popleft()
                self._dropped = 0
                self.delivered += len(batch)
                return
            if status is not None and 400 <= status < 500 and status not in (408, 429):
                self.on_error(f"closewatch refused the batch ({status}): {text[:300]}; dropped {len(batch)} events")
                for _ in batch:
                    self._queue.popleft()
                return
            # Network error, 408, 429 or 5xx: the same batch again, after Retry-After or a growing, jittered wait.
            wait = retry_after if retry_after is not None else min(30.0, 0.5 * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
            self.on_error(f"closewatch did not take the batch ({status or text}); retrying in {wait:.1f} s")
            await asyncio.sleep(wait)

    def _post(self, body: bytes) -> "tuple[Optional[int], str, Optional[float]]":
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            method="POST",
            headers={"authorization": f"Bearer {self.api_key}", "content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read().decode(), None
        except urllib.error.HTTPError as error:
            retry_after = error.headers.get("retry-after")
            return error.code, error.read().decode(), float(retry_after) if retry_after and retry_after.isdigit() else None
        except (urllib.error.URLError, OSError) as error:
            return None, str(error), None


def _initiator(websocket: Any) -> str:
    # websockets knows which close frame came first: ours (server) or the peer's (client).
    received_first = getattr(websocket, "close_rcvd_then_sent", None)
    if received_first is True:
        return "client"
    if received_first is False:
        return "server"
    return "unknown"


def _was_clean(websocket: Any) -> bool:
    return getattr(websocket, "close_rcvd", None) is not None and getattr(websocket, "close_sent", None) is not None


def instrument(
    handler: Callable[[Any], Awaitable[None]],
    reporter: ClosewatchReporter,
    route: str,
) -> Callable[[Any], Awaitable[None]]:
    """Wraps a ``websockets`` connection handler so that every close is reported."""

    async def wrapped(websocket: Any, *args: Any) -> None:
        opened = time.monotonic()
        try:
            await handler(websocket, *args)
        finally:
            await websocket.wait_closed()
            code = websocket.close_code
            reporter.report(
                # 1005 is what websockets says when the peer's close frame had no code: closewatch's null.
                code=None if code == 1005 else code,
                reason=websocket.close_reason or "",
                was_clean=_was_clean(websocket),
                initiator=_initiator(websocket),
                route=route,
                duration_ms=int((time.monotonic() - opened) * 1000),
            )

    return wrapped
