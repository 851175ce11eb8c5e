from django.conf import settings

from .navigation import navigation_for
from .permissions import user_roles


def portal(request):
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "user_roles": user_roles(user),
        "navigation": navigation_for(user),
    }
