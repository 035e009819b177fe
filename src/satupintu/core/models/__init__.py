from .changelog import ChangeLogEntry
from .mixins import Audited, OrgOwned, OrgOwnedQuerySet, Publishable, Timestamped
from .organisations import Organisation
from .personal_data import PersonalDataAccess
from .regions import Region
from .runs import Run
from .search import SearchDay, SearchDocument, SearchSynonym, SearchTerm, ZeroResultQuery

__all__ = [
    "Audited",
    "ChangeLogEntry",
    "OrgOwned",
    "OrgOwnedQuerySet",
    "Organisation",
    "PersonalDataAccess",
    "Publishable",
    "Region",
    "Run",
    "SearchDay",
    "SearchDocument",
    "SearchSynonym",
    "SearchTerm",
    "Timestamped",
    "ZeroResultQuery",
]
