from django.urls import path

from surveys.api import responses, stipends, stories

urlpatterns = [
    path("surveys/", responses.SurveyListCreateView.as_view(), name="api_surveys"),
    path("surveys/<int:survey_id>/", responses.SurveyDetailView.as_view(), name="api_survey"),
    path(
        "surveys/<int:survey_id>/verify/",
        responses.SurveyVerifyView.as_view(),
        name="api_survey_verify",
    ),
    path(
        "surveys/<int:survey_id>/request-correction/",
        responses.SurveyRequestCorrectionView.as_view(),
        name="api_survey_request_correction",
    ),
    path("stories/", stories.StoryListCreateView.as_view(), name="api_stories"),
    path("stories/<int:story_id>/", stories.StoryDetailView.as_view(), name="api_story"),
    path(
        "stories/<int:story_id>/photo/",
        stories.StoryPhotoView.as_view(),
        name="api_story_photo",
    ),
    path(
        "stories/<int:story_id>/verify/",
        stories.StoryVerifyView.as_view(),
        name="api_story_verify",
    ),
    path("stipends/", stipends.StipendListView.as_view(), name="api_stipends"),
]
