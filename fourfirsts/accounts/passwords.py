"""Password policy: 3 of 4 character kinds, not one of the last 5."""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

HISTORY_DEPTH = 5


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's check with our own message (its zh_Hans catalog lags behind)."""

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


class CharacterKindsValidator:
    KINDS = (str.islower, str.isupper, str.isdigit)

    def validate(self, password, user=None):
        kinds = sum(any(test(c) for c in password) for test in self.KINDS)
        kinds += any(not c.isalnum() for c in password)
        if kinds < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_kinds"
            )

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"


class HistoryValidator:
    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        previous = [user.password, *user.password_history.values_list("password", flat=True)[: HISTORY_DEPTH - 1]]
        if any(h and check_password(password, h) for h in previous):
            raise ValidationError(f"新密码不能与最近{HISTORY_DEPTH}次使用过的密码相同。", code="password_reused")

    def get_help_text(self):
        return f"新密码不能与最近{HISTORY_DEPTH}次使用过的密码相同。"
