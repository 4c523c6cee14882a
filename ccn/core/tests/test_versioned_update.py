"""`versioned_update`, the one body of every versioned edit: lock, check, refuse a stale version, apply, one new
version, save, one change record."""

import pytest
from django.db import transaction

from ccn.clusters.models import Organisation
from ccn.clusters.tests.factories import make_org
from ccn.core.errors import ConflictError, PreconditionRequired, ValidationFailed
from ccn.core.history import MISSING_VERSION, history_for, versioned_update
from ccn.core.models import ChangeAction


def _rename(name):
    def apply(locked):
        locked.name = name

    return apply


def test_a_change_adds_one_version_and_one_record_with_before_and_after(users):
    org = make_org("Công ty A")
    saved = versioned_update(
        org, actor=users["editor"], expected_version=org.version, apply=_rename("Công ty B"), message="đổi tên"
    )
    fresh = Organisation.objects.get(pk=org.pk)
    assert fresh.name == "Công ty B" and fresh.version == org.version + 1 == saved.version
    records = list(history_for(org))
    assert len(records) == 1
    record = records[0]
    assert record.action == ChangeAction.UPDATE and record.actor == users["editor"] and record.message == "đổi tên"
    assert record.before["name"] == "Công ty A" and record.after["name"] == "Công ty B"
    assert record.before["version"] == org.version and record.after["version"] == org.version + 1


def test_a_stale_version_is_refused_and_nothing_is_written(users):
    org = make_org("Công ty A")
    read = org.version
    versioned_update(org, actor=users["admin"], expected_version=read, apply=_rename("Công ty B"))
    applied = []
    with pytest.raises(ConflictError) as refused, transaction.atomic():
        versioned_update(org, actor=users["editor"], expected_version=read, apply=applied.append)
    assert refused.value.http_status == 409 and refused.value.code == "edit_conflict"
    assert applied == []  # refused before the change was made
    fresh = Organisation.objects.get(pk=org.pk)
    assert fresh.name == "Công ty B" and fresh.version == read + 1
    assert history_for(org).count() == 1  # only the first change


def test_an_api_write_without_a_version_is_refused(users):
    org = make_org("Công ty A")
    with pytest.raises(PreconditionRequired) as refused:
        versioned_update(org, actor=users["editor"], expected_version=MISSING_VERSION, apply=_rename("X"))
    assert refused.value.http_status == 428
    assert Organisation.objects.get(pk=org.pk).name == "Công ty A" and not history_for(org).exists()


def test_the_check_runs_before_the_version_and_a_refused_change_writes_nothing(users):
    org = make_org("Công ty A")

    def refuse(locked):
        raise ValidationFailed("Không được.")

    with pytest.raises(ValidationFailed), transaction.atomic():  # the check comes before the stale version
        versioned_update(org, actor=users["editor"], expected_version=org.version + 5, check=refuse, apply=print)

    def bad(locked):
        locked.name = "Đã đổi"
        raise ValidationFailed("Sai.")

    with pytest.raises(ValidationFailed), transaction.atomic():
        versioned_update(org, actor=users["editor"], apply=bad)
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name, fresh.version) == ("Công ty A", org.version) and not history_for(org).exists()


def test_an_unchanged_record_is_skipped_when_asked(users):
    org = make_org("Công ty A")
    versioned_update(org, actor=users["editor"], apply=_rename("Công ty A"), skip_unchanged=True)
    assert Organisation.objects.get(pk=org.pk).version == org.version and not history_for(org).exists()
    versioned_update(org, actor=users["editor"], apply=_rename("Công ty C"), skip_unchanged=True)
    assert Organisation.objects.get(pk=org.pk).version == org.version + 1 and history_for(org).count() == 1


def test_update_fields_save_only_those_fields_and_the_version(users):
    org = make_org("Công ty A")

    def apply(locked):
        locked.name = "Công ty B"
        locked.tax_code = "0101234567"  # not among the fields saved

    versioned_update(org, actor=users["editor"], apply=apply, update_fields=("name",))
    fresh = Organisation.objects.get(pk=org.pk)
    assert (fresh.name, fresh.tax_code, fresh.version) == ("Công ty B", "", org.version + 1)
