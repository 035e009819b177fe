"""A router used only by core's tests of the /api/v1/ conventions."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from satupintu.core.api import ApiError, paginate, session_or_token

from .models import Announcement

router = Router(tags=["test"])


class AnnouncementOut(Schema):
    id: int
    title: str


class AnnouncementIn(Schema):
    title: str


class AnnouncementPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AnnouncementOut]


@router.get("/announcements/", response={200: AnnouncementPage, 404: ApiError})
def list_announcements(request, page: int = 1, page_size: int = 20):
    return paginate(Announcement.objects.order_by("pk"), page, page_size)


@router.get("/announcements/{pk}/", response={200: AnnouncementOut, 404: ApiError})
def get_announcement(request, pk: int):
    return get_object_or_404(Announcement, pk=pk)


@router.post(
    "/announcements/",
    auth=session_or_token,
    response={201: AnnouncementOut, 400: ApiError, 401: ApiError, 403: ApiError},
)
def create_announcement(request, payload: AnnouncementIn):
    organisation_ids = sorted(request.user.organisation_ids())
    if not organisation_ids:
        raise PermissionDenied("Hanya pegawai OPD yang boleh membuat pengumuman.")
    return Status(
        201, Announcement.objects.create(organisation_id=organisation_ids[0], title=payload.title)
    )
