from django import template

from accounts.middleware import take_kept_text

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_text(context):
    """What this user typed on this page before their session ended, if anything (once)."""
    request = context.get("request")
    return take_kept_text(request) if request is not None else None
