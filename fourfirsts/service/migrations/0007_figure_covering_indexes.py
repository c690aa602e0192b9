"""Covering indexes for the year's appeal figures (docs/benchmarks.md).

On PostgreSQL each index carries, after its key, the columns its figures read
(INCLUDE), so PostgreSQL counts a year's appeals from the index alone instead
of reading the table (450 MB at province scale); SQLite gets the key columns.
`appeal_list_order` and `appeal_on_site` keep their keys, so the list pages
and F07's drill-down walk them as before.

`event_appeal_rating_at` (migration 0005) gets the same treatment on
PostgreSQL: F29 reads each rating step's appeal and `data` (a bare
{"rating": …}, written by the rating service only) from the index.
"""

from django.db import migrations, models

RATING_STEPS = "WHERE workflow = 'service.appeal' AND action IN ('rate', 'redo', 'rate_unsatisfied')"
PLAIN = f"CREATE INDEX event_appeal_rating_at ON core_workflowevent (at) {RATING_STEPS}"
COVERING = (f"CREATE INDEX event_appeal_rating_at ON core_workflowevent (at) "
            f"INCLUDE (content_type_id, object_id, id, data) {RATING_STEPS}")


def _rebuild(sql):
    def rebuild(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX event_appeal_rating_at")
            schema_editor.execute(sql)
    return rebuild


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_membership_on_index'),
        ('service', '0006_appeal_on_site_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='appeal',
            name='appeal_list_order',
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(fields=['collected_at', 'id'], include=('enterprise', 'category', 'state', 'closed_at', 'is_blockage', 'is_pain_point', 'is_difficulty'), name='appeal_list_order'),
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(fields=['first_assigned_at'], include=('id', 'replied_at'), name='appeal_first_assigned'),
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(fields=['closed_at'], include=('id', 'close_days', 'first_assigned_at', 'collected_at', 'state'), name='appeal_closed'),
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(condition=models.Q(('rating__in', ['satisfied', 'fairly_satisfied', 'unsatisfied'])), fields=['rated_at'], include=('id', 'rating'), name='appeal_rated'),
        ),
        migrations.RemoveIndex(
            model_name='appeal',
            name='appeal_on_site',
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(condition=models.Q(('assigned_on_site_on__isnull', False)), fields=['collected_at'], include=('id', 'enterprise', 'assigned_by', 'assigned_on_site_on', 'raised_by'), name='appeal_on_site'),
        ),
        migrations.RunPython(_rebuild(COVERING), _rebuild(PLAIN)),
    ]
