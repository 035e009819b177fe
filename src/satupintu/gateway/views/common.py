"""What every registry page shares: the role gate, loading a row the user may change, the form
page and the delete confirmation. Every row is loaded through `for_user` (another OPD's rows
answer 404); changing one needs `access.can_manage` (403 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .. import access


def staff_view(view):
    """Anonymous visitors go to the login page before any object is looked up (so they get a
    redirect, not a 404); signed-in users without a gateway role get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (denied := access.require_staff(request)) is not None:
            return denied
        return view(request, *args, **kwargs)

    return wrapped


def managed_object(request: HttpRequest, queryset: models.QuerySet, pk: int):
    """The row `pk` if the user sees it (404 otherwise) and may change it (403 otherwise)."""
    obj = get_object_or_404(queryset.for_user(request.user), pk=pk)
    if not access.can_manage(request.user, obj.organisation_id):
        raise PermissionDenied
    return obj


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    intro: str = "",
    back: str = "",
    save: Callable | None = None,
    done: Callable[[object], tuple[str, str]] | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST save it (`save(form)`, default `form.save()`), flash the
    message and go to the URL that `done(saved)` returns as (message, url)."""
    if request.method == "POST" and form.is_valid():
        saved = save(form) if save is not None else form.save()
        message, url = done(saved)
        messages.success(request, message)
        return redirect(url)
    return render(
        request,
        "gateway/form.html",
        {"form": form, "page_title": title, "page_intro": intro, "back_href": back},
    )


def confirm_delete(
    request: HttpRequest,
    obj,
    *,
    title: str,
    consequences: list[str],
    back: str,
    done: str,
    message: str,
    blocked: str = "",
    delete: Callable[[], None] | None = None,
) -> HttpResponse:
    """GET: what deleting `obj` takes with it, and a confirm button. POST: delete, flash
    `message`, go to `done`. With `blocked` set the deletion is refused and the reason shown."""
    if request.method == "POST" and not blocked:
        (delete or obj.delete)()
        messages.success(request, message)
        return redirect(done)
    return render(
        request,
        "components/confirm_delete.html",
        {
            "object": obj,
            "page_title": title,
            "consequences": consequences,
            "back_href": back,
            "blocked": blocked,
        },
        status=409 if blocked and request.method == "POST" else 200,
    )
