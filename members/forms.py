from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import get_language


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; remembers the language the account was created in."""

    def save(self, request):
        user = super().save(request)
        language = (get_language() or "fr")[:2]
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        return user
