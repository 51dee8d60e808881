from django.urls import path

from messaging import views

urlpatterns = [
    path("family/notices/", views.family_notices, name="family_notices"),
]
