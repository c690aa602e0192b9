"""Password policy: 3 of 4 character kinds, not one of the last 5."""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HISTORY_DEPTH = 5


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's check, its length from the security policy (a setting the
    security admin keeps), with our own message (Django's zh_Hans lags)."""

    def validate(self, password, user=None):
        from fourfirsts.core import rules

        self.min_length = max(8, rules.value("accounts.password_min_length"))
        super().validate(password, user)

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)s 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)s 个字符。") % {"min_length": self.min_length}


class CharacterKindsValidator:
    KINDS = (str.islower, str.isupper, str.isdigit)

    def validate(self, password, user=None):
        kinds = sum(any(test(c) for c in password) for test in self.KINDS)
        kinds += any(not c.isalnum() for c in password)
        if kinds < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="password_kinds"
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class HistoryValidator:
    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        previous = [user.password, *user.password_history.values_list("password", flat=True)[: HISTORY_DEPTH - 1]]
        if any(h and check_password(password, h) for h in previous):
            raise ValidationError(
                _("新密码不能与最近%(n)s次使用过的密码相同。") % {"n": HISTORY_DEPTH}, code="password_reused"
            )

    def get_help_text(self):
        return _("新密码不能与最近%(n)s次使用过的密码相同。") % {"n": HISTORY_DEPTH}
