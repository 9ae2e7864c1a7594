"""Forms of the account pages: sign-up (allauth) and deleting one's account."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; remembers the language the account was created in."""

    def save(self, request):
        user = super().save(request)
        language = (get_language() or "fr")[:2]
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        return user


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Pour confirmer, saisissez votre adresse e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip()
        if value.casefold() != self.user.email.casefold():
            raise forms.ValidationError(
                _("Ce n’est pas l’adresse e-mail de votre compte : rien n’a été supprimé.")
            )
        return value
