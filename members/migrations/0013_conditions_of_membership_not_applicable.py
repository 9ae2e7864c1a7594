"""Values and general-interest principles are conditions of membership: an answer declaring one
"non concerné" becomes unanswered again (its reason is kept in ``na_reason``), so the place says
where it stands. Ambitions keep their "non concerné"."""

from django.db import migrations


def unanswer_conditions(apps, schema_editor):
    Answer = apps.get_model("members", "Answer")
    Answer.objects.filter(level="na").exclude(commitment__section__kind="ambitions").update(
        level=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_answer_revision"),
    ]

    operations = [migrations.RunPython(unanswer_conditions, migrations.RunPython.noop)]
