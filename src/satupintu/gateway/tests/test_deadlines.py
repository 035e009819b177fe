"""The data plane's service timeouts (dataplane/deadlines.py): one periodic check cancels the
calls whose deadline passed, and only those cancellations become TimeoutError."""

from __future__ import annotations

import asyncio

import pytest

from satupintu.gateway.dataplane.deadlines import Deadlines


def run(scenario):
    async def main():
        deadlines = Deadlines(tick=0.01)
        deadlines.start()
        try:
            return await scenario(deadlines)
        finally:
            deadlines.stop()

    return asyncio.run(main())


def test_a_passed_deadline_is_a_timeout_error_and_leaves_the_task_uncancelled():
    async def scenario(deadlines):
        async def waiting():
            task = asyncio.current_task()
            with pytest.raises(TimeoutError), deadlines.within(task, 0.05):
                await asyncio.sleep(5)
            await asyncio.sleep(0)  # the task carries on (it answers 504 in the gateway)
            return task.cancelling()

        return await asyncio.wait_for(waiting(), 2)

    assert run(scenario) == 0


def test_someone_elses_cancellation_passes_through():
    async def scenario(deadlines):
        async def waiting():
            with deadlines.within(asyncio.current_task(), 5):
                await asyncio.sleep(5)

        task = asyncio.create_task(waiting())
        await asyncio.sleep(0.05)
        task.cancel()  # a caller that left, or the server shutting down
        with pytest.raises(asyncio.CancelledError):
            await task
        return deadlines._due, deadlines._fired

    assert run(scenario) == ({}, set())


def test_progress_extends_the_deadline_and_nothing_is_armed_outside_within():
    async def scenario(deadlines):
        task = asyncio.current_task()
        deadlines.extend(task, 0.01)  # a late upload chunk, after the call was answered
        assert not deadlines._due
        with deadlines.within(task, 0.1):
            for _ in range(6):  # 0.3 s in all, never 0.1 s without progress
                await asyncio.sleep(0.05)
                deadlines.extend(task, 0.1)
        return deadlines._due

    assert run(scenario) == {}
