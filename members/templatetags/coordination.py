from django import template

from members.dashboard import dashboard_figures as compute_figures

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_figures(context):
    """{% dashboard_figures as figures %}: the admin index figures for the signed-in user."""
    return compute_figures(context["request"].user)
