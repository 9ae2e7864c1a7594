"""How form fields become HTML: Django's widget templates through Jinja2.

Rendering a field is a template per widget (a radio button each, a file input, its errors),
dozens on a report section or an admin change page. Django ships the same widget templates for
Jinja2, which renders them several times faster than the Django template engine. The admin's
own widgets have no Jinja2 version: those, and any other template Jinja2 does not find, are
rendered with the Django template engine as before.
"""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
