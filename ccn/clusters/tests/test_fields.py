"""A cluster's entered names and figures are listed once (models.CLUSTER_DATA_FIELDS): the form, the service and the
import read that list; the import's columns and the API's schemas, which need more than a name per field, are held
to it here, so a figure added in one place and forgotten in another fails."""

from ccn.clusters import services
from ccn.clusters.forms import ClusterForm
from ccn.clusters.models import CLUSTER_DATA_FIELDS, Cluster
from ccn.clusters.schemas import ClusterIn, ClusterPatch
from ccn.tenants import io
from ccn.tenants.columns import CLUSTER_COLUMNS


def test_every_entered_figure_is_a_column_of_the_table():
    columns = {field.name for field in Cluster._meta.concrete_fields}
    assert set(CLUSTER_DATA_FIELDS) <= columns
    assert len(set(CLUSTER_DATA_FIELDS)) == len(CLUSTER_DATA_FIELDS)


def test_the_form_the_service_and_the_import_take_every_figure():
    assert set(CLUSTER_DATA_FIELDS) <= set(ClusterForm.base_fields)
    assert set(CLUSTER_DATA_FIELDS) <= set(services.CLUSTER_FIELDS)
    assert io.CLUSTER_DATA_KEYS[: len(CLUSTER_DATA_FIELDS)] == CLUSTER_DATA_FIELDS


def test_the_import_template_has_a_column_for_each_figure():
    keys = [column.key for column in CLUSTER_COLUMNS]
    assert set(CLUSTER_DATA_FIELDS) <= set(keys)


def test_a_change_through_the_api_is_bounded_as_a_new_cluster_is():
    """The API's schemas state each figure twice (a new cluster, a change); their bounds must not drift apart."""
    shared = set(ClusterIn.model_fields) & set(ClusterPatch.model_fields)
    assert set(CLUSTER_DATA_FIELDS) <= shared
    for name in shared:
        assert ClusterIn.model_fields[name].metadata == ClusterPatch.model_fields[name].metadata, name


def test_the_form_keeps_the_location_between_the_kind_and_the_figures():
    """ClusterForm places the province and communes among the listed figures (ccn.core.forms.fields_with)."""
    fields = list(ClusterForm._meta.fields)
    assert fields[:7] == ["code", "name", "name_en", "kind", "province", "communes", "mountainous_area"]
    assert fields[1:4] + fields[6:14] == list(CLUSTER_DATA_FIELDS)
