"""The Redis cache backend satupintu configures (settings.CACHES with SATUPINTU_REDIS_URL):
Django's own, keeping one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object for every operation; with redis-py
8 that construction costs more CPU than the command itself (about 0.5 ms against 0.3 ms for a
GET on the benchmark machine), and the cache is on hot paths (rate limits, the configuration
token of core/configcache.py). A client holds no connection of its own (the pool does, and is
thread-safe) and Django keeps one cache backend per thread anyway, so reusing it is safe.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
