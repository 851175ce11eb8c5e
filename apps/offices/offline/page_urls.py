"""Pages of the installable offline intake (under /<lang>/offices/offline/)."""

urlpatterns: list = []
