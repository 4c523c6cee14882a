"""A tenant project's entered figures are listed once (models.PROJECT_DATA_FIELDS): the form, the service and the
import read that list; the import's columns and the API's schemas, which need more than a name per field, are held
to it here, so a figure added in one place and forgotten in another fails."""

from ccn.tenants import io, services
from ccn.tenants.columns import TENANT_COLUMNS
from ccn.tenants.forms import TenantProjectForm
from ccn.tenants.models import PROJECT_DATA_FIELDS, TenantProject
from ccn.tenants.schemas import TenantProjectIn, TenantProjectPatch

# What a row or a new project says besides its figures: where it is, whose it is, its state.
ROW_KEYS = {"cluster_code", "tax_code", "enterprise_name", "country", "status"}
NEW_PROJECT_KEYS = {"cluster", "tax_code", "enterprise_name", "country", "status", "status_since"}


def test_every_entered_figure_is_a_column_of_the_table():
    columns = {field.name for field in TenantProject._meta.concrete_fields}
    assert set(PROJECT_DATA_FIELDS) <= columns
    assert len(set(PROJECT_DATA_FIELDS)) == len(PROJECT_DATA_FIELDS)


def test_the_form_the_service_and_the_import_read_the_one_list():
    assert TenantProjectForm.DATA_FIELDS == PROJECT_DATA_FIELDS
    assert set(PROJECT_DATA_FIELDS) <= set(TenantProjectForm.base_fields)
    assert services.PROJECT_FIELDS == (*PROJECT_DATA_FIELDS, "is_sample")
    assert ("name", *io.PROJECT_DATA_KEYS) == PROJECT_DATA_FIELDS


def test_the_import_template_has_a_column_for_each_figure_and_no_other():
    keys = [column.key for column in TENANT_COLUMNS]
    assert len(keys) == len(set(keys))
    assert set(keys) - ROW_KEYS == set(PROJECT_DATA_FIELDS)
    figures_in_order = [key for key in keys if key not in ROW_KEYS]
    assert figures_in_order == list(PROJECT_DATA_FIELDS)


def test_the_api_takes_the_same_figures():
    assert set(TenantProjectPatch.model_fields) == {*PROJECT_DATA_FIELDS, "version"}
    assert set(TenantProjectIn.model_fields) == {*PROJECT_DATA_FIELDS, *NEW_PROJECT_KEYS}
