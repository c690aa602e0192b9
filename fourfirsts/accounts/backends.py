from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's backend, except that production has no superuser: 三权分立
    splits its powers among the three admins, so a superuser cannot sign in."""

    def user_can_authenticate(self, user):
        if settings.PRODUCTION and user.is_superuser:
            return False
        return super().user_can_authenticate(user)
