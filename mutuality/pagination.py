from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from mutuality.errors import InvalidInput


class StandardPagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with `?page=` and an optional `?page_size=`.

    A page or page size that is not a whole number in range is a 400 naming it (not silently
    the first page); a page past the last is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def _whole_number(self, request, name: str, *, maximum: int | None = None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum) or raw != str(value):
            if maximum is None:
                message = _("Give a whole number from 1.")
            else:
                message = _("Give a whole number from 1 to %(n)d.") % {"n": maximum}
            raise InvalidInput.for_field(name, message)
        return value

    def get_page_number(self, request, paginator):
        return self._whole_number(request, self.page_query_param) or 1

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, maximum=self.max_page_size)
        return size or self.page_size

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, from 1 to {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


PAGE_SIZE = 25


def page_of(request, items, *, param: str = "page", per_page: int = PAGE_SIZE):
    """One page of a list for a page view (`?page=N`; a bad N gives the nearest page)."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
