"""`member_on_day` on appeals and visits (service.services.members): whether the
enterprise was a member of an association on the row's day, set here from the
memberships (a few minutes at province scale), then kept by the services.
The covering indexes of F06 and F07 carry it."""

import zoneinfo

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _member_then(EnterpriseMembership, day):
    return Exists(EnterpriseMembership.objects.filter(
        Q(since__lte=OuterRef(day)), Q(until__isnull=True) | Q(until__gte=OuterRef(day)),
        enterprise=OuterRef("enterprise")))


def mark(apps, schema_editor):
    EnterpriseMembership = apps.get_model("registry", "EnterpriseMembership")
    Appeal = apps.get_model("service", "Appeal")
    Visit = apps.get_model("service", "Visit")
    (Appeal.objects.annotate(collected_on=TruncDate("collected_at", tzinfo=SHANGHAI))
     .filter(_member_then(EnterpriseMembership, "collected_on")).update(member_on_day=True))
    Visit.objects.filter(_member_then(EnterpriseMembership, "visited_on")).update(member_on_day=True)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_membership_on_index'),
        ('service', '0008_appeal_rating_in_history'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='appeal',
            name='appeal_list_order',
        ),
        migrations.RemoveIndex(
            model_name='appeal',
            name='appeal_on_site',
        ),
        migrations.AddField(
            model_name='appeal',
            name='member_on_day',
            field=models.BooleanField(default=False, editable=False, verbose_name='收集当日为会员企业'),
        ),
        migrations.AddField(
            model_name='historicalappeal',
            name='member_on_day',
            field=models.BooleanField(default=False, editable=False, verbose_name='收集当日为会员企业'),
        ),
        migrations.AddField(
            model_name='historicalvisit',
            name='member_on_day',
            field=models.BooleanField(default=False, editable=False, verbose_name='当日为会员企业'),
        ),
        migrations.AddField(
            model_name='visit',
            name='member_on_day',
            field=models.BooleanField(default=False, editable=False, verbose_name='当日为会员企业'),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(fields=['collected_at', 'id'], include=('enterprise', 'category', 'state', 'closed_at', 'is_blockage', 'is_pain_point', 'is_difficulty', 'member_on_day'), name='appeal_list_order'),
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(condition=models.Q(('assigned_on_site_on__isnull', False)), fields=['collected_at'], include=('id', 'enterprise', 'assigned_by', 'assigned_on_site_on', 'raised_by', 'member_on_day'), name='appeal_on_site'),
        ),
    ]
