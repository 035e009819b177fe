"""Webhook subscriptions and their delivery history: an OPD admin subscribes their system to
event types, sees every delivery and attempt, and sends dead-lettered deliveries again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu.core.models import Organisation
from satupintu.core.roles import Role
from satupintu.core.tables import TableListView

from . import delivery as sending
from .forms import SubscriptionForm
from .models import Delivery, Event, Subscription
from .publishing import enqueue_deliveries
from .tables import SubscriptionTable

ADMIN_ROLES = frozenset({Role.OPD_ADMIN})


def _require_admin(request: HttpRequest, organisation_id: int | None = None):
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return redirect_to_login(request.get_full_path())
    if user.is_platform_admin:
        return None
    admin_of = user.organisation_ids_with_descendants(roles=ADMIN_ROLES)
    if not admin_of or (organisation_id is not None and organisation_id not in admin_of):
        raise PermissionDenied
    return None


class SubscriptionListView(TableListView):
    table_class = SubscriptionTable
    page_title = gettext_lazy("Langganan webhook")
    page_intro = gettext_lazy(
        "Sistem OPD yang menerima peristiwa (mis. laporan warga baru) "
        "lewat HTTP POST bertanda tangan HMAC-SHA256."
    )
    export_basename = "langganan-webhook"

    def dispatch(self, request, *args, **kwargs):
        if (denied := _require_admin(request)) is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return Subscription.objects.for_user(self.request.user).select_related("organisation")


def subscription_create(request: HttpRequest) -> HttpResponse:
    if (denied := _require_admin(request)) is not None:
        return denied
    user = request.user
    organisations = Organisation.objects.all()
    if not user.is_platform_admin:
        organisations = organisations.filter(
            pk__in=user.organisation_ids_with_descendants(roles=ADMIN_ROLES)
        )
    form = SubscriptionForm(
        request.POST or None, organisations=organisations, platform_admin=user.is_platform_admin
    )
    if request.method == "POST" and form.is_valid():
        subscription = form.save()
        messages.success(
            request,
            _(
                "Langganan dibuat. Pasang rahasia penandatangan di sistem "
                "penerima untuk memeriksa tanda tangan."
            ),
        )
        return redirect(subscription)
    return render(request, "events/subscription_form.html", {"form": form})


def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _require_admin(request)) is not None:
        return denied
    subscription = get_object_or_404(Subscription.objects.for_user(request.user), pk=pk)
    if (denied := _require_admin(request, subscription.organisation_id)) is not None:
        return denied
    deliveries = subscription.deliveries.select_related("event").order_by("-created_at")[:100]
    return render(
        request,
        "events/subscription_detail.html",
        {
            "subscription": subscription,
            "deliveries": deliveries,
            "dead": subscription.deliveries.filter(status=Delivery.Status.DEAD).count(),
        },
    )


@require_POST
def subscription_test(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _require_admin(request)) is not None:
        return denied
    subscription = get_object_or_404(Subscription.objects.for_user(request.user), pk=pk)
    if (denied := _require_admin(request, subscription.organisation_id)) is not None:
        return denied
    with transaction.atomic():
        event = Event.objects.create(
            event_type="events.ping",
            organisation_id=subscription.organisation_id,
            payload={"pesan": "Uji kirim dari Satu Pintu", "langganan": subscription.name},
        )
        delivery = Delivery.objects.create(
            event=event, subscription=subscription, next_attempt_at=timezone.now()
        )
        transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]))
    messages.success(request, _("Peristiwa uji dikirim; lihat hasilnya di riwayat pengiriman."))
    return redirect(subscription)


def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _require_admin(request)) is not None:
        return denied
    delivery = get_object_or_404(
        Delivery.objects.for_user(request.user).select_related("event", "subscription"), pk=pk
    )
    if (denied := _require_admin(request, delivery.subscription.organisation_id)) is not None:
        return denied
    return render(
        request,
        "events/delivery_detail.html",
        {
            "delivery": delivery,
            "attempts": delivery.attempt_log.all(),
            "body": sending.event_body(delivery).decode(),
        },
    )


@require_POST
def delivery_replay(request: HttpRequest, pk: int) -> HttpResponse:
    if (denied := _require_admin(request)) is not None:
        return denied
    delivery = get_object_or_404(Delivery.objects.for_user(request.user), pk=pk)
    if (denied := _require_admin(request, delivery.subscription.organisation_id)) is not None:
        return denied
    if delivery.status == Delivery.Status.SENDING:
        messages.error(request, _("Pengiriman ini sedang berjalan; tunggu hasilnya."))
        return redirect(delivery)
    sending.replay(delivery)
    transaction.on_commit(lambda: enqueue_deliveries([delivery.pk]))
    messages.success(request, _("Pengiriman dijadwalkan ulang."))
    return redirect(delivery)
