from .messagelog import GENESIS_HASH, ArchiveSegment, Checkpoint, LogHead, MessageRecord
from .monitoring import LATENCY_BUCKETS, HealthCheck, LatencyHistogram, TrafficCounter
from .registry import (
    AccessRight,
    Credential,
    Member,
    Service,
    Subsystem,
    hash_api_key,
    instance_name,
)

__all__ = [
    "GENESIS_HASH",
    "LATENCY_BUCKETS",
    "AccessRight",
    "ArchiveSegment",
    "Checkpoint",
    "Credential",
    "HealthCheck",
    "LatencyHistogram",
    "LogHead",
    "Member",
    "MessageRecord",
    "Service",
    "Subsystem",
    "TrafficCounter",
    "hash_api_key",
    "instance_name",
]
