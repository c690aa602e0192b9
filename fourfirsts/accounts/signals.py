"""Logins, failures, logouts and lockouts go to the security log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fourfirsts.core import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.log(audit.Kind.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit.log(audit.Kind.LOGIN_FAILED, username=credentials.get("username", "")[:150], request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.log(audit.Kind.LOGOUT, user=user, request=request)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, **kwargs):
    audit.log(audit.Kind.LOCKOUT, username=(username or "")[:150], request=request)
