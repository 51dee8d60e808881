from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `?page=` and an optional `?page_size=`."""

    page_size_query_param = "page_size"
    max_page_size = 100


PAGE_SIZE = 25


def page_of(request, items, *, param: str = "page", per_page: int = PAGE_SIZE):
    """One page of a list for a page view (`?page=N`; a bad N gives the nearest page)."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
