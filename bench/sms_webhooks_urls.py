"""The project's addresses plus one trivial view: the baseline of `bench.sms_webhooks`, a POST
through the same middleware that does nothing."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def trivial(request):
    return HttpResponse(status=200)


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("mutuality.urls")),
]
