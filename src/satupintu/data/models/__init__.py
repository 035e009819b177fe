from .datasets import LICENCES, Dataset, DatasetVersion, Tag, Topic
from .metadata import ActivityMetadata, Indicator
from .resources import Resource, ValidationIssue, Variable
from .sources import Source

__all__ = [
    "LICENCES",
    "ActivityMetadata",
    "Dataset",
    "DatasetVersion",
    "Indicator",
    "Resource",
    "Source",
    "Tag",
    "Topic",
    "ValidationIssue",
    "Variable",
]
