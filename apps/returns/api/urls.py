from rest_framework.routers import SimpleRouter

from .views import EventViewSet, FundingOpportunityViewSet, InfoSheetViewSet, ReturnPlanViewSet, VacancyViewSet

router = SimpleRouter()
router.register("info-sheets", InfoSheetViewSet, basename="api-info-sheet")
router.register("funding-opportunities", FundingOpportunityViewSet, basename="api-funding-opportunity")
router.register("return-plans", ReturnPlanViewSet, basename="api-return-plan")
router.register("vacancies", VacancyViewSet, basename="api-vacancy")
router.register("events", EventViewSet, basename="api-event")

urlpatterns = router.urls
