"""A Python ``websockets`` server reporting its closes to closewatch, with clients that
close in several ways. Prints the closes it saw, by code, as JSON; the collector
should hold exactly these.

    python3 examples/python/example_server.py --collector http://127.0.0.1:8080 --key <ingest key> \\
        --plan 1000:5,1001:2,1011:3,4001:2,1006:2
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import sys

import websockets

from closewatch_reporter import ClosewatchReporter, instrument


async def handler(websocket) -> None:
    async for message in websocket:
        # "close <code>": the server closes with that code (a crash, a kick, a restart...).
        if isinstance(message, str) and message.startswith("close "):
            code = int(message.split()[1])
            await websocket.close(code, f"closed by the server with {code}")
            return
        await websocket.send(f"echo {message}")


async def client(url: str, code: int) -> None:
    async with websockets.connect(url) as ws:
        await ws.send("hello")
        await ws.recv()
        if code == 1006:
            # A dropped connection: no close frame at all.
            ws.transport.abort()
            await asyncio.sleep(0.05)
            return
        if code in (1000, 1001):
            await ws.close(code, "client leaving")
            return
        await ws.send(f"close {code}")
        await ws.wait_closed()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--collector", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--plan", required=True, help="code:count,... (1006 drops the TCP connection)")
    args = parser.parse_args()
    plan = [(int(code), int(count)) for code, count in (part.split(":") for part in args.plan.split(","))]

    errors: list[str] = []
    reporter = ClosewatchReporter(args.collector, args.key, service="python-example", flush_interval=0.5, on_error=errors.append)
    seen: collections.Counter[str] = collections.Counter()

    async def counting(websocket) -> None:
        try:
            await handler(websocket)
        finally:
            await websocket.wait_closed()
            seen[str(websocket.close_code)] += 1

    async with websockets.serve(instrument(counting, reporter, route="/ws"), "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        url = f"ws://127.0.0.1:{port}/ws"
        await asyncio.gather(*(client(url, code) for code, count in plan for _ in range(count)))
        # Let the server side of dropped connections notice.
        for _ in range(100):
            if sum(seen.values()) == sum(count for _, count in plan):
                break
            await asyncio.sleep(0.05)
    await reporter.close()
    json.dump({"closes": dict(seen), "delivered": reporter.delivered, "errors": errors}, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
