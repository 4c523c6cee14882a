"""Every API token expires: tokens issued before lifetimes existed get 90 days from this migration (their owners
see the date on their page and issue a new token in time), then the date becomes required."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def give_lifetime(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + datetime.timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_language")]

    operations = [
        migrations.RunPython(give_lifetime, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
