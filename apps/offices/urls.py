from django.urls import include, path

from . import views

app_name = "offices"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("log/", views.quick_log, name="quick-log"),
    path("log/people/", views.person_picker, name="person-picker"),
    path("import/", views.contact_import, name="contact-import"),
    path("persons/", views.person_list, name="person-list"),
    path("persons/<int:pk>/", views.person_detail, name="person-detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("persons/<int:pk>/merge/", views.person_merge, name="person-merge"),
    path("persons/<int:pk>/refer/", views.referral_create, name="referral-create"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow-up-done"),
    path("follow-ups/<int:pk>/", views.follow_up_edit, name="follow-up-edit"),
    path("manage/", views.office_manage, name="office-manage"),
    path("manage/new/", views.office_new, name="office-new"),
    path("manage/<int:pk>/", views.office_edit, name="office-edit"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/role/", views.staff_role, name="staff-role"),
    path("staff/<int:pk>/end/", views.staff_end, name="staff-end"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/letters/", views.referral_letters_batch, name="referral-letters-batch"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/letter.pdf", views.referral_letter, name="referral-letter"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("offline/review/", include("apps.offices.offline.review_urls")),
    path("offline/", include("apps.offices.offline.page_urls")),
]
