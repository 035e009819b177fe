"""Service timeouts for the calls in flight, kept by one periodic check instead of a timer per call.

aiohttp's own per-request timeouts (`connect`, `sock_read`) schedule and cancel event-loop
timers on every request, and again on every chunk it reads: about 10 µs of the ~115 µs of CPU a
relayed call cost in the gateway benchmark. Here each waiting call has a deadline in a dict, and
one task looks every `TICK` seconds and cancels the calls whose deadline has passed, which
`Deadlines.within` turns into TimeoutError (as `asyncio.timeout` does). A timeout fires up to
one tick late, which a service timeout can afford (the registry allows 0.1 to 600 seconds).

The deadline counts time without progress: the gateway re-arms it whenever a chunk of the
request body goes up or a chunk of the answer comes down, so a long download that keeps moving
is not cut (aiohttp's `sock_read` meant the same).
"""

from __future__ import annotations

import asyncio
import time

TICK = 0.05


class Deadlines:
    def __init__(self, tick: float = TICK) -> None:
        self.tick = tick
        self._due: dict[asyncio.Task, float] = {}
        self._fired: set[asyncio.Task] = set()
        self._watcher: asyncio.Task | None = None

    def start(self) -> None:
        """Start the periodic check on the running event loop."""
        if self._watcher is None:
            self._watcher = asyncio.get_running_loop().create_task(self._watch())

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None

    def within(self, task: asyncio.Task, seconds: float) -> _Within:
        """`with deadlines.within(task, s):` raises TimeoutError out of the block if `task` is
        still in it `s` seconds (plus up to one tick) after entering it or the last `extend`."""
        self._due[task] = time.monotonic() + seconds
        return _Within(self, task)

    def extend(self, task: asyncio.Task, seconds: float) -> None:
        """Progress: give `task` `seconds` from now, if it is inside `within` (a late chunk
        of an upload must not arm a deadline nobody will disarm)."""
        if task in self._due:
            self._due[task] = time.monotonic() + seconds

    def _disarm(self, task: asyncio.Task) -> bool:
        """Forget `task`'s deadline; True when it had already fired (the task was cancelled)."""
        self._due.pop(task, None)
        if task in self._fired:
            self._fired.discard(task)
            return True
        return False

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.tick)
            if not self._due:
                continue
            now = time.monotonic()
            for task in [task for task, due in self._due.items() if due <= now]:
                del self._due[task]
                self._fired.add(task)
                task.cancel()


class _Within:
    __slots__ = ("deadlines", "task")

    def __init__(self, deadlines: Deadlines, task: asyncio.Task) -> None:
        self.deadlines = deadlines
        self.task = task

    def __enter__(self) -> _Within:
        return self

    def __exit__(self, kind, exc, traceback) -> None:
        if self.deadlines._disarm(self.task):
            # The cancellation was ours, not a caller's or the server's: take it back.
            self.task.uncancel()
            raise TimeoutError from exc
