"""The data plane's copy of the registry, reloaded when the shared version number moves."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from ..snapshot import RegistrySnapshot, build_snapshot, current_version

logger = logging.getLogger("satupintu.gateway.registry")


class RegistryStore:
    def __init__(
        self,
        *,
        loader: Callable[[str], RegistrySnapshot] = build_snapshot,
        version: Callable[[], str] = current_version,
        poll_seconds: float = 1.0,
    ) -> None:
        self.loader = loader
        self.version = version
        self.poll_seconds = poll_seconds
        self.snapshot: RegistrySnapshot | None = None

    def load(self) -> RegistrySnapshot:
        """Synchronous (re)load; call from a thread when an event loop is running."""
        self.snapshot = self.loader(self.version())
        return self.snapshot

    async def refresh(self) -> bool:
        """Reload if the registry changed since the last load; returns whether it did."""
        version = await asyncio.to_thread(self.version)
        if self.snapshot is not None and version == self.snapshot.version:
            return False
        self.snapshot = await asyncio.to_thread(self.loader, version)
        return True

    async def poll_forever(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.refresh()
            except Exception:
                # Keep serving with the snapshot we have; the next poll tries again.
                logger.exception("registry reload failed")
