"""Forms of the account pages: sign-up (allauth) and deleting one's account."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import User


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; remembers the language the account was created in.

    For an address that has an account already, allauth creates nothing and mails its owner:
    that path skipped hashing the password, and answered in a few milliseconds where a new
    account takes a full hash (about a second in production). It hashes the password too, and
    throws the hash away, so that the time of the answer tells nothing either."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

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


class ProfileForm(forms.ModelForm):
    """How the portal names a person (teams, histories, e-mails) and writes to them."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]
        labels = {
            "first_name": _("Prénom"),
            "last_name": _("Nom"),
            "language": _("Langue des e-mails"),
        }
        help_texts = {
            "language": _("Les e-mails du portail vous sont écrits dans cette langue."),
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }
