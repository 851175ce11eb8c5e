"""Pages where a counsellor confirms the duplicates and resolves the conflicts found at sync
(under /<lang>/offices/offline/review/)."""

urlpatterns: list = []
