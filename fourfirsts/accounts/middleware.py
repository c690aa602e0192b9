from django.shortcuts import redirect
from django.urls import reverse

ALLOWED = ("accounts:password_change", "accounts:logout")


class PasswordChangeRequiredMiddleware:
    """A one-time password must be changed before anything else is shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in ALLOWED}
            # The API answers for itself (403 in its own error shape), not with a redirect.
            if request.path not in allowed and not request.path.startswith(("/static/", "/api/")):
                return redirect("accounts:password_change")
        return self.get_response(request)
