from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """{{ answer.narrative|markdown }}: Markdown rendered and sanitised."""
    return render_markdown(text)
