"""The public gallery of Everyday Changemakers: no sign-in, no JavaScript, small pages.

Only features that are published and that every family asked still consents to are shown
(`policy.feature_is_public`). Nothing is cached on the server, and responses tell browsers and
proxies not to keep them, so a withdrawal takes effect on the very next request. The partner's
staff and the families asked may also see a feature's page and photo before it is public, marked
as a preview.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from changemakers.forms_features import GalleryFilterForm
from changemakers.selectors import features as selectors
from changemakers.services.features import PHOTO_HEIGHT, PHOTO_WIDTH
from mutuality.pagination import page_of

GALLERY_PAGE_SIZE = 12
PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _photo_size() -> dict:
    return {"width": PHOTO_WIDTH, "height": PHOTO_HEIGHT}


@require_GET
@never_cache
def gallery(request):
    """Everyday Changemakers, international picks first, then the newest; filters by country,
    region and practice (a plain GET form)."""
    form = GalleryFilterForm(
        request.GET if request.GET else None, options=selectors.gallery_options()
    )
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    filters = form.filters() if form.is_bound else {}
    page = page_of(request, selectors.gallery_features(**filters), per_page=GALLERY_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": selectors.only_public(page.object_list),
        "query": query.urlencode(),
        "filtered": any(filters.values()),
        "photo": _photo_size(),
    }
    return render(request, "changemakers/gallery/gallery.html", context, status=status)


@require_GET
@never_cache
def gallery_feature(request, feature_id):
    """One Everyday Changemaker: its page for everyone while public; a preview for the
    partner's staff and the families asked; 404 for anyone else."""
    feature, public = selectors.feature_for_viewer(request.user, feature_id)
    context = {"feature": feature, "public": public, "photo": _photo_size()}
    return render(request, "changemakers/gallery/feature.html", context)


@require_GET
def gallery_feature_photo(request, feature_id):
    """The photo, served only while whoever asks may see the feature. Browsers check back on
    every use (a cheap 304 when nothing changed), so a withdrawn photo is not shown again."""
    feature, public = selectors.feature_for_viewer(request.user, feature_id)
    if not feature.photo:
        return redirect("gallery_feature", feature_id=feature.pk)
    content_type = PHOTO_TYPES.get(feature.photo.name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        raise Http404
    etag = f'"{feature.pk}-{feature.photo.name.rsplit("/", 1)[-1]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = FileResponse(feature.photo.open("rb"), content_type=content_type)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, no_cache=True, max_age=0)
    if not public:
        patch_cache_control(response, private=True)
    return response
