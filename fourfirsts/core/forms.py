"""Form pieces every app uses."""

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (photos, evidence); core.attachments checks each.
    Cleans to a list, empty when nothing was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # check_upload names the empty file
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


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
