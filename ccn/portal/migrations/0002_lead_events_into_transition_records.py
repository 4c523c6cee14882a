"""An inquiry's steps move from portal.LeadEvent into the shared core.TransitionRecord (workflow "lead"), every
row kept with its action, states, actor, note and time; then LeadEvent is dropped
(docs/decisions/0007-transition-engine.md). Reversible: going back copies the "lead" records into LeadEvent."""

from django.db import migrations

WORKFLOW = "lead"


def _lead_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="portal", model="lead")[0]


def forwards(apps, schema_editor):
    LeadEvent = apps.get_model("portal", "LeadEvent")
    TransitionRecord = apps.get_model("core", "TransitionRecord")
    ct = _lead_type(apps)
    batch = []
    for e in LeadEvent.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            TransitionRecord(
                content_type_id=ct.pk,
                object_id=str(e.lead_id),
                workflow=WORKFLOW,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                actor_id=e.actor_id,
                at=e.at,
                note=e.note,
            )
        )
        if len(batch) >= 2000:
            TransitionRecord.objects.bulk_create(batch)
            batch = []
    TransitionRecord.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    LeadEvent = apps.get_model("portal", "LeadEvent")
    TransitionRecord = apps.get_model("core", "TransitionRecord")
    Lead = apps.get_model("portal", "Lead")
    ct = _lead_type(apps)
    records = TransitionRecord.objects.filter(content_type_id=ct.pk, workflow=WORKFLOW).order_by("at", "id")
    leads = set(Lead.objects.values_list("pk", flat=True))
    events, times = [], []
    for r in records.iterator(chunk_size=2000):
        if int(r.object_id) in leads:
            times.append(r.at)
            events.append(
                LeadEvent(
                    lead_id=int(r.object_id),
                    action=r.action,
                    from_status=r.from_status,
                    to_status=r.to_status,
                    actor_id=r.actor_id,
                    note=r.note,
                )
            )
    created = LeadEvent.objects.bulk_create(events)
    for event, at in zip(created, times, strict=True):
        LeadEvent.objects.filter(pk=event.pk).update(at=at)  # `at` is auto_now_add on the old model
    records.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("core", "0003_transition_record"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="LeadEvent"),
    ]
