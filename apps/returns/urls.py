from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("information/", views.info_sheet_list, name="info-sheet-list"),
    path("information/<int:pk>/", views.info_sheet_detail, name="info-sheet-detail"),
    path("funding/", views.funding_list, name="funding-list"),
    path("funding/<int:pk>/", views.funding_detail, name="funding-detail"),
    path("events/", views.event_list, name="event-list"),
    path("events/mine/", views.my_events, name="my-events"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/cancel/", views.event_cancel_registration, name="event-cancel"),
    path("events/<int:pk>/evaluation/", views.event_evaluate, name="event-evaluate"),
    path("partners/", views.partner_directory, name="partner-directory"),
    path("vacancies/", views.vacancy_list, name="vacancy-list"),
    path("vacancies/import/", views.vacancy_import, name="vacancy-import"),
    path("vacancies/new/", views.vacancy_edit, name="vacancy-create"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy-edit"),
    path("plans/", views.plan_pipeline, name="plan-pipeline"),
    path("plans/new/", views.plan_edit, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/<slug:action>/", views.plan_action, name="plan-action"),
    path("editor/information/", views.editor_sheet_list, name="editor-sheet-list"),
    path("editor/information/new/", views.editor_sheet_edit, name="editor-sheet-create"),
    path("editor/information/<int:pk>/edit/", views.editor_sheet_edit, name="editor-sheet-edit"),
    path("editor/information/<int:pk>/reviewed/", views.editor_sheet_reviewed, name="editor-sheet-reviewed"),
    path("editor/funding/", views.editor_funding_list, name="editor-funding-list"),
    path("editor/funding/new/", views.editor_funding_edit, name="editor-funding-create"),
    path("editor/funding/<int:pk>/edit/", views.editor_funding_edit, name="editor-funding-edit"),
    path("editor/funding/<int:pk>/publish/", views.editor_funding_publish, name="editor-funding-publish"),
    path("editor/events/", views.editor_event_list, name="editor-event-list"),
    path("editor/events/new/", views.editor_event_edit, name="editor-event-create"),
    path("editor/events/<int:pk>/edit/", views.editor_event_edit, name="editor-event-edit"),
    path("editor/events/<int:pk>/publish/", views.editor_event_publish, name="editor-event-publish"),
    path("editor/events/<int:pk>/registrations/", views.editor_event_registrations, name="editor-event-registrations"),
]
