"""Form pieces every app uses."""

from django import forms
from django.core.exceptions import ValidationError

from fourfirsts.core import attachments


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (photos, evidence). Cleans to a list, empty when
    nothing was chosen; each file is checked against the attachment limits
    here, so a refused file is named under its own field, by the field's
    label (or `noun`, where the label carries a hint), before anything is saved."""

    def __init__(self, *args, noun=None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # check_upload names the empty file
        super().__init__(*args, **kwargs)
        self.noun = noun

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        else:
            files = [super().clean(data, initial)] if data else []
        errors = []
        for upload in files:
            try:
                attachments.check_upload(upload, field=str(self.noun or self.label or ""))
            except ValidationError as e:
                errors.extend(e.messages)
        if errors:
            raise ValidationError(errors)
        return files


CHOICES_MAX = 300  # beyond this many choices a filter's <select> becomes a name search


def search_when_many(form, name: str, placeholder: str) -> None:
    """Turn the filter's choice field `name` into a name search when it would
    list more than CHOICES_MAX rows (a province's thousands of party orgs or
    members make a page of options nobody scrolls). The field stays, hidden,
    so a link naming one row by id still filters; `<name>_name` takes a name
    or its pinyin initials, for the view to apply with the model's `search`."""
    field = form.fields[name]
    if len(field.queryset.values_list("pk", flat=True)[:CHOICES_MAX + 1]) <= CHOICES_MAX:
        return
    field.widget = forms.HiddenInput()
    form.fields[f"{name}_name"] = forms.CharField(
        label=field.label, required=False, max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off",
                                      "class": "form-control"}))
