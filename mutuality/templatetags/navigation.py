from django import template

from mutuality.navigation import navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """The navigation of this page's seat (None for a visitor): the bar in base.html and the
    cards of the home pages read it."""
    request = context.get("request")
    if request is None:
        return None
    return navigation_for(context, request)
