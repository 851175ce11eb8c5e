from django.urls import path

from . import views, views_links

app_name = "exchange"

urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("waiting/", views.waiting, name="request-waiting"),
    path("calendar/", views.calendar, name="calendar"),
    path("new/", views.request_create, name="request-create"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("<int:pk>/transition/", views.request_transition, name="request-transition"),
    path("<int:pk>/sheet.pdf", views.request_pdf, name="request-pdf"),
    path("<int:pk>/files/<str:which>/", views.request_file, name="request-file"),
    path("<int:pk>/participants/new/", views.participant_add, name="participant-add"),
    path("<int:pk>/participants/<int:participant_pk>/", views.participant_edit, name="participant-edit"),
    path("<int:pk>/experts/", views.experts, name="request-experts"),
    path("calls/", views.my_calls, name="my-calls"),
    path("calls/<int:selection_pk>/answer/", views.call_answer, name="call-answer"),
    path("calls/open/", views.open_calls, name="open-calls"),
    path("calls/open/<int:pk>/interest/", views.open_call_interest, name="open-call-interest"),
    path("<int:pk>/report/", views.report, name="request-report"),
    path("<int:pk>/evaluation/", views.evaluate, name="request-evaluate"),
    path("<int:pk>/schedule/", views.schedule, name="request-schedule"),
    path("mine/", views.my_exchanges, name="my-exchanges"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("<int:pk>/certificates/print/", views.certificates_batch, name="certificates-batch"),
    path("certificates/verify/", views.certificate_verify, name="certificate-verify"),
    path("evaluate/<str:token>/", views_links.evaluate_by_link, name="evaluate-link"),
]
