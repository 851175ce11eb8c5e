"""Pages where a counsellor confirms the duplicates and resolves the conflicts found at sync
(under /<lang>/offices/offline/review/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.review_list, name="offline-review"),
    path("duplicates/<int:pk>/", views.review_duplicate, name="offline-review-duplicate"),
    path("conflicts/<int:pk>/", views.review_conflict, name="offline-review-conflict"),
]
