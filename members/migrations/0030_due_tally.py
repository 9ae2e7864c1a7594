"""The dashboard reads the places with a due date of their own (an extension granted, or
approved since the campaign opened) from summary rows (DueTally), by that date, instead of
reading each of them (2,000 at 100,000 places).

On an existing database, run ``manage.py rebuild_stats`` once after this migration (as after
every change of the summary rows: README, Summary rows).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0029_medians_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='DueTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('departement', models.CharField(max_length=3)),
                ('region', models.CharField(max_length=3)),
                ('report_status', models.CharField(blank=True, max_length=20)),
                ('due_on', models.DateField()),
                ('not_expected', models.BooleanField()),
                ('places', models.PositiveIntegerField()),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='members.reportingcampaign')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('campaign', 'departement', 'region', 'report_status', 'due_on', 'not_expected'), name='due_tally_once')],
            },
        ),
    ]
