"""How a portal view calls a service and tells the user how it went.

The service decides (and says why it refuses, in a ``MembersError``); the view only chooses
where that reason goes (an error message, or the form shown again) and what success says.
"""

from django.contrib import messages

from members.services import MembersError


def run_service(request, action, success, *, error=MembersError, form=None, field=None):
    """Call ``action()`` (one service call) and return whether it went through.

    On success, ``success`` becomes a success message; when it is callable, it is called with
    the action's result (a message that says what was done, read once it is done). On
    ``error``, the service's reason goes on ``form`` (``field``, or the whole form) when there
    is a form to show again, else into an error message.
    """
    try:
        result = action()
    except error as refusal:
        if form is None:
            messages.error(request, refusal.message)
        else:
            form.add_error(field, refusal.message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
