from .clients import SCOPES, Client, Consent, SigningKey
from .security import AuthEvent, UserSession
from .users import AccountManager, AssuranceLevel, Membership, NikVerification, User

__all__ = [
    "SCOPES",
    "AccountManager",
    "AssuranceLevel",
    "AuthEvent",
    "Client",
    "Consent",
    "Membership",
    "NikVerification",
    "SigningKey",
    "User",
    "UserSession",
]
