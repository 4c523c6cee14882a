"""VSIC 2025 (Decision 36/2025/QĐ-TTg) beside VSIC 2018: its own table, loaded from ccn/clusters/data/vsic2025.csv
after the file's counts per level and parents are checked (docs/decisions/0010-vsic-editions.md). The VSIC 2018
rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models

from ccn.clusters.vsic import load_2025


def load(apps, schema_editor):
    load_2025(apps.get_model("clusters", "Sector2025"))


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0011_document_files_to_store'),
    ]

    operations = [
        migrations.CreateModel(
            name='Sector2025',
            fields=[
                ('code', models.CharField(max_length=5, primary_key=True, serialize=False, verbose_name='code')),
                ('name', models.CharField(max_length=250, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=250, verbose_name='English name')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='clusters.sector2025')),
            ],
            options={
                'verbose_name': 'sector (VSIC 2025)',
                'verbose_name_plural': 'sectors (VSIC 2025)',
                'ordering': ['code'],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
