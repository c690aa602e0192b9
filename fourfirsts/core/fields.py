"""Model fields for personal data kept encrypted at rest (SM4-GCM via
core.crypto). The Python value is the plain text; the column holds the token.
Look-ups go through a separate hash column, never through this one."""

from django.db import models

from fourfirsts.core import crypto


class SealedCharField(models.TextField):
    description = "Text encrypted at rest with the data key"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value or ""
        return crypto.get_cipher().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.get_cipher().encrypt(value)
