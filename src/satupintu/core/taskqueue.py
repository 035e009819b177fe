"""django.tasks backend on Huey (placeholder until the task-queue work lands)."""
from django.tasks.backends.immediate import ImmediateBackend


class HueyTaskBackend(ImmediateBackend):
    pass
