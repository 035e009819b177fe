"""The one scoping function for organisation-owned records.

Every view and API that lists or loads rows of an `OrgOwned` model goes through `for_user`
(usually as `Model.objects.for_user(user)`), so OPD isolation is decided in one place:

- anonymous users and citizens see published rows only (or none, for models that are never
  public);
- OPD operators and OPD admins see every row of their own organisations (and the
  organisations below them), plus what is published;
- the walidata and leaders read every organisation's rows that have left the draft stage;
- platform admins see everything.

With `write=True` the result is what the user may change: rows of their own organisations for
OPD roles, everything for platform admins, nothing for anyone else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .roles import REGENCY_READER_ROLES, Role


def for_user(queryset: QuerySet, user, *, write: bool = False) -> QuerySet:
    model = queryset.model
    owner_field = getattr(model, "owner_field", "organisation")
    publishable = hasattr(model, "PUBLIC_STATUSES")

    if user is None or not user.is_authenticated or not user.is_active:
        if write or not publishable:
            return queryset.none()
        return queryset.filter(status__in=model.PUBLIC_STATUSES)

    if user.is_superuser or user.has_role(Role.PLATFORM_ADMIN):
        return queryset

    own = Q(**{f"{owner_field}__in": user.organisation_ids_with_descendants()})
    if write:
        return queryset.filter(own)

    visible = own
    if publishable:
        visible |= Q(status__in=model.PUBLIC_STATUSES)
        if user.roles & REGENCY_READER_ROLES:
            visible |= Q(status__in=model.REVIEWABLE_STATUSES)
    elif user.roles & REGENCY_READER_ROLES:
        return queryset
    return queryset.filter(visible)


def can_change(obj, user) -> bool:
    """Whether `user` may change this one record (the object-level twin of for_user).

    A saved record is checked against the database, so a form that changed the owner in
    memory cannot widen the right; an unsaved one by the organisation it is about to get.
    """
    if obj.pk is not None and type(obj)._default_manager.filter(pk=obj.pk).exists():
        return for_user(type(obj)._default_manager.filter(pk=obj.pk), user, write=True).exists()
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_role(Role.PLATFORM_ADMIN):
        return True
    owner_field = getattr(type(obj), "owner_field", "organisation")
    if "__" in owner_field:
        # Ownership through a relation (e.g. "dataset__organisation"): follow it.
        value = obj
        for part in owner_field.split("__"):
            value = getattr(value, part, None)
        owner_id = getattr(value, "pk", value)
    else:
        owner_id = getattr(obj, f"{owner_field}_id", None)
    return owner_id is not None and owner_id in user.organisation_ids_with_descendants()
