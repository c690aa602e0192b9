"""Two indexes on the appeal rating steps, for F29 (满意率).

The events are core's table, shared by every workflow; these indexes cover
only the appeal workflow's rating steps (about a sixth of the events), so
they live with the app that knows those steps. Both are partial:

- `event_appeal_rating_at` (at): the year's rating steps. PostgreSQL passed
  over a composite (content_type, action, at) index, and over (at,
  content_type, object_id), for the single-column `at` index, which scans
  every event of the year (F29's first query 961 ms, 238 ms with this one);
- `event_appeal_rating_of` (content_type, object_id): "has this appeal any
  rating step", answered from the index alone (F29's second query 440 ms,
  and 1.2 s when the planner hashed the first index instead; 212 ms).

SQLite takes the same SQL.
"""

from django.db import migrations

WHERE = "WHERE workflow = 'service.appeal' AND action IN ('rate', 'redo', 'rate_unsatisfied')"


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_token_audit_kinds"),
        ("service", "0004_list_order_indexes"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX event_appeal_rating_at ON core_workflowevent (at) {WHERE}",
                          "DROP INDEX event_appeal_rating_at"),
        migrations.RunSQL(f"CREATE INDEX event_appeal_rating_of ON core_workflowevent (content_type_id, object_id) {WHERE}",
                          "DROP INDEX event_appeal_rating_of"),
    ]
