"""{{ user|person:show_addresses }}: a person as this reader may see them (members/access.py)."""

from django import template

from members.access import person_name

register = template.Library()


@register.filter
def person(user, with_address=False):
    return person_name(user, with_address=bool(with_address))


@register.filter
def person_and_address(user):
    """For readers who may see addresses (coordinators, representatives): "Name (address)"."""
    name = user.get_full_name().strip()
    return f"{name} ({user.email})" if name else user.email
