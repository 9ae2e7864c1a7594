"""Widgets of our own, where Django's rendering costs more than the page can afford."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python rather than through one template per option: the
    directory's filters hold about 150 options and render on every uncached page (about a
    fifth of its time with Django's templates). Same markup, without option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            "<select{}>{}</select>", flatatt({"name": name} | widget["attrs"]), options
        )
