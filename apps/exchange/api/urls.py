from rest_framework.routers import SimpleRouter

from .views import ExchangeRequestViewSet

router = SimpleRouter()
router.register("exchange-requests", ExchangeRequestViewSet, basename="exchange-request")

urlpatterns = router.urls
