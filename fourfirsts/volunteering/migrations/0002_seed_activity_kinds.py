"""The activity kinds of rules.md §5, with the stable codes the figures count by."""

from django.db import migrations

KINDS = (
    ("civility_persuasion", "文明劝导"),
    ("bend_down", "弯腰行动"),
    ("community", "进社区"),
    ("civilization", "文明创建"),
    ("grassroots", "基层治理"),
    ("rural", "乡村振兴"),
    ("education_aid", "捐资助学活动"),
    ("other", "其他"),
)


def seed(apps, schema_editor):
    kind = apps.get_model("volunteering", "ActivityKind")
    for order, (code, name) in enumerate(KINDS, start=1):
        kind.objects.update_or_create(ref=code, defaults={"name": name, "order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("volunteering", "ActivityKind").objects.filter(ref__in=[c for c, _ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_volunteering_records")]

    operations = [migrations.RunPython(seed, unseed)]
