"""`Appeal.rating_in_history`: the rating service marks each appeal it records
a rating step for, so F29 finds the appeals rated without one (imported) from
a small partial index instead of asking the history per appeal (340 ms of
F29's 400 at province scale). The appeals already rated through the service
are marked from their history here; `event_appeal_rating_of` (0005), which
answered "has this appeal a rating step", serves that once and is dropped.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

RATING_ACTIONS = ("rate", "redo", "rate_unsatisfied")
WHERE = "WHERE workflow = 'service.appeal' AND action IN ('rate', 'redo', 'rate_unsatisfied')"


def mark_rated_in_history(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Appeal = apps.get_model("service", "Appeal")
    WorkflowEvent = apps.get_model("core", "WorkflowEvent")
    content_type = ContentType.objects.filter(app_label="service", model="appeal").first()
    if content_type is None:  # a new database: no appeals yet
        return
    steps = WorkflowEvent.objects.filter(content_type=content_type, workflow="service.appeal",
                                         action__in=RATING_ACTIONS, object_id=OuterRef("pk"))
    Appeal.objects.filter(Exists(steps)).update(rating_in_history=True)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_token_audit_kinds"),
        ("registry", "0005_membership_on_index"),
        ("service", "0007_figure_covering_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="appeal",
            name="appeal_rated",
        ),
        migrations.AddField(
            model_name="appeal",
            name="rating_in_history",
            field=models.BooleanField(default=False, editable=False, verbose_name="评价记入办理记录"),
        ),
        migrations.AddField(
            model_name="historicalappeal",
            name="rating_in_history",
            field=models.BooleanField(default=False, editable=False, verbose_name="评价记入办理记录"),
        ),
        migrations.RunPython(mark_rated_in_history, migrations.RunPython.noop),
        migrations.RunSQL("DROP INDEX event_appeal_rating_of",
                          f"CREATE INDEX event_appeal_rating_of ON core_workflowevent (content_type_id, object_id) {WHERE}"),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(condition=models.Q(("rating__in", ["satisfied", "fairly_satisfied", "unsatisfied"]),
                                                  ("rating_in_history", False)),
                               fields=["rated_at"], include=("id", "rating"), name="appeal_rated_unlogged"),
        ),
    ]
