from django.conf import settings

from .registry import PUBLIC, STAFF, registry


def installation(request):
    user = getattr(request, "user", None)
    return {
        "installation": settings.INSTALLATION,
        "public_menu": registry.menu(user, PUBLIC) if user is not None else [],
        "staff_menu": registry.menu(user, STAFF) if user is not None else [],
    }
