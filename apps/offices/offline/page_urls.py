"""Pages of the installable offline intake (under /<lang>/offices/offline/)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("", pages.intake, name="offline-intake"),
    path("worker.js", pages.worker, name="offline-worker"),
    path("manifest.webmanifest", pages.manifest, name="offline-manifest"),
]
