"""The dashboard reads every figure from the summary rows: places without a representative
(PlaceTally.has_representative) and reports being written (drafts, now in ReportTally), and
finds the places approved since a campaign opened from an index.

On an existing database, run ``manage.py rebuild_stats`` once after this migration (as after
every change of the summary rows: README, Summary rows).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0027_place_public_member_index'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='placetally',
            name='place_tally_once',
        ),
        migrations.AddField(
            model_name='placetally',
            name='has_representative',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='place',
            index=models.Index(fields=['approved_at'], name='place_approved_idx'),
        ),
        migrations.AddConstraint(
            model_name='placetally',
            constraint=models.UniqueConstraint(fields=('departement', 'region', 'status', 'is_public', 'signature_state', 'signed_current', 'has_representative'), name='place_tally_once'),
        ),
    ]
