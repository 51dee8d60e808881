"""The API's JSON parser: the standard one, refusing bodies nested deeper than any request of
ours needs, before they reach code that walks them recursively."""

import codecs

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MAX_DEPTH = 64


def depth_of(value) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def too_deep() -> ParseError:
    return ParseError(
        _("The request body nests arrays and objects more than %(n)d levels deep.")
        % {"n": MAX_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text) if self.strict else json.loads(text, parse_constant=None)
        except RecursionError:
            raise too_deep() from None
        except ValueError:
            raise ParseError(_("The request body is not valid JSON.")) from None
        if depth_of(data) > MAX_DEPTH:
            raise too_deep()
        return data
