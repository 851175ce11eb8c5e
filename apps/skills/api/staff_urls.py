from django.urls import path

from . import staff

urlpatterns = [
    path("profiles/", staff.ProfileSearchView.as_view(), name="api-profiles"),
    path("profiles/<int:pk>/", staff.ProfileDetailView.as_view(), name="api-profile"),
    path("taxonomy/occupations/", staff.OccupationList.as_view(), name="api-taxonomy-occupations"),
    path("taxonomy/sectors/", staff.SectorList.as_view(), name="api-taxonomy-sectors"),
    path("taxonomy/skills/", staff.SkillList.as_view(), name="api-taxonomy-skills"),
    path("taxonomy/languages/", staff.LanguageList.as_view(), name="api-taxonomy-languages"),
    path("taxonomy/education-levels/", staff.EducationLevelList.as_view(), name="api-taxonomy-education-levels"),
    path("taxonomy/education-fields/", staff.EducationFieldList.as_view(), name="api-taxonomy-education-fields"),
]
