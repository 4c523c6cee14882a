"""The plant's last result is read from its dated results, no longer stored on the plant. A stored last result
without a result of its day first becomes one (so nothing recorded is lost); going back fills the plant's copy from
its latest result again."""

from django.db import migrations, models


def move_last_results(apps, schema_editor):
    Plant = apps.get_model("infrastructure", "WastewaterPlant")
    Result = apps.get_model("infrastructure", "WastewaterResult")
    Result.objects.bulk_create(
        Result(
            plant_id=p.pk,
            sampled_on=p.last_result_on,
            compliant=p.compliant,
            standard=p.standard,
            document=p.last_result_document,
        )
        for p in Plant.objects.filter(last_result_on__isnull=False)
        .exclude(models.Exists(Result.objects.filter(plant_id=models.OuterRef("pk"), sampled_on=models.OuterRef("last_result_on"))))
        .iterator()
    )


def copy_latest_results(apps, schema_editor):
    Plant = apps.get_model("infrastructure", "WastewaterPlant")
    Result = apps.get_model("infrastructure", "WastewaterResult")
    for plant in Plant.objects.iterator():
        latest = Result.objects.filter(plant_id=plant.pk).order_by("-sampled_on").first()
        if latest is not None:
            Plant.objects.filter(pk=plant.pk).update(
                compliant=latest.compliant,
                standard=latest.standard,
                last_result_on=latest.sampled_on,
                last_result_document=latest.document,
            )


class Migration(migrations.Migration):

    dependencies = [
        ('infrastructure', '0004_wastewater_results'),
    ]

    operations = [
        # going back, after the fields come back empty (the removals undone), the copy is filled again
        migrations.RunPython(move_last_results, copy_latest_results),
        migrations.RemoveField(model_name='wastewaterplant', name='compliant'),
        migrations.RemoveField(model_name='wastewaterplant', name='last_result_document'),
        migrations.RemoveField(model_name='wastewaterplant', name='last_result_on'),
        migrations.RemoveField(model_name='wastewaterplant', name='standard'),
    ]
