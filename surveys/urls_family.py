"""The families' survey pages. Months travel in the query string (`?period=2026-10`)."""

from django.urls import path

from surveys.views import family as views

urlpatterns = [
    path("family/surveys/", views.survey_list, name="survey_list"),
    path("family/surveys/new/", views.survey_new, name="survey_new"),
    path("family/surveys/<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("family/stories/", views.story_list, name="story_list"),
    path("family/stories/new/", views.story_new, name="story_new"),
    path("family/stories/<int:story_id>/", views.story_detail, name="story_detail"),
    path("family/stories/<int:story_id>/photo/", views.story_photo, name="story_photo"),
    path("family/stipends/", views.family_stipends, name="family_stipends"),
    path("family/progress/", views.family_progress, name="family_progress"),
]
