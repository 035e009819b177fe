"""The data plane's Deadlines: a watched call that the provider keeps waiting past its deadline is
cancelled and learns it was a timeout; anything else is left alone."""

from __future__ import annotations

import asyncio

from satupintu.gateway.dataplane.limits import Deadlines


def test_a_call_kept_waiting_past_its_deadline_is_cancelled_as_a_timeout():
    deadlines = Deadlines(interval=0.01)

    async def waiting_call():
        task = asyncio.current_task()
        deadlines.watch(task, 0.05)
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            assert deadlines.expired(task)
            assert task.cancelling() == 0  # withdrawn: the call can still answer
            await asyncio.sleep(0)
            return "timed out"
        finally:
            deadlines.release(task)
        return "answered"

    async def main():
        started = asyncio.get_running_loop().time()
        outcome = await asyncio.create_task(waiting_call())
        return outcome, asyncio.get_running_loop().time() - started

    outcome, waited = asyncio.run(main())
    assert outcome == "timed out"
    assert 0.05 <= waited < 1


def test_progress_and_release_keep_a_call_alive_and_the_sweeper_stops_when_idle():
    deadlines = Deadlines(interval=0.01)

    async def steady_call():
        task = asyncio.current_task()
        for _ in range(6):  # 6 x 0.1 s, longer than the 0.4 s timeout, with progress between
            deadlines.watch(task, 0.4)
            await asyncio.sleep(0.1)
        deadlines.release(task)
        await asyncio.sleep(0.1)  # not watched any more: never cancelled
        return "answered"

    async def main():
        outcome = await asyncio.create_task(steady_call())
        await asyncio.sleep(0.05)
        return outcome, deadlines._sweeper

    outcome, sweeper = asyncio.run(main())
    assert outcome == "answered"
    assert sweeper is None  # nothing watched: no task waking up every interval


def test_a_cancellation_from_elsewhere_is_not_taken_for_a_timeout():
    deadlines = Deadlines(interval=0.01)
    seen = []

    async def watched_call():
        task = asyncio.current_task()
        deadlines.watch(task, 10)
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            seen.append(deadlines.expired(task))
            raise
        finally:
            deadlines.release(task)

    async def main():
        task = asyncio.create_task(watched_call())
        await asyncio.sleep(0.02)
        task.cancel()  # e.g. the server shutting down
        try:
            await task
        except asyncio.CancelledError:
            return "cancelled"
        return "finished"

    assert asyncio.run(main()) == "cancelled"
    assert seen == [False]
