"""The JSON Schema (draft 2020-12) of an exchange bundle, format version 1 (docs/exchange.md), built from the
field lists the bundle writes (bundle.py), so the two cannot drift apart."""

from __future__ import annotations

from ccn.papers.services import SCAN_TYPES
from ccn.reports.models import INDICATOR_CODES

from .bundle import (
    CLUSTER_DECIMALS,
    FORMAT,
    ORG_FIELDS,
    PLANT_DATES,
    PROJECT_DATES,
    PROJECT_DECIMALS,
    REPORTED_FORMS,
)
from .models import RecordKind


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


_DOCUMENT = {
    "type": ["object", "null"],
    "required": ["kind", "number", "issued_on", "issuer"],
    "properties": {
        "kind": {"type": "string"},
        "number": {"type": "string", "maxLength": 60},
        "issued_on": {"type": "string", "format": "date"},
        "issuer": {"type": "string", "maxLength": 200},
        "title": {"type": "string", "maxLength": 300},
        "is_public": {"type": "boolean"},
    },
}
_DECIMAL = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}
_DATE = {"type": ["string", "null"], "format": "date"}


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a bundle, published at /api/v1/exchange/schema/1."""
    record_base = {
        "type": "object",
        "required": ["kind", "key", "changed_at", "data"],
        "properties": {
            "kind": {"enum": list(RecordKind.values)},
            "key": {"type": "string", "minLength": 1, "maxLength": 200},
            "changed_at": {"type": "string", "format": "date-time"},
            "data": {"type": "object"},
        },
    }
    data_of = {
        RecordKind.ORGANISATION: {
            "type": "object",
            "required": ["name", "kind", "tax_code", "country"],
            "properties": {f: {"type": "string"} for f in ORG_FIELDS},
        },
        RecordKind.CLUSTER: {
            "type": "object",
            "required": ["code", "province", "name", "kind", "status", "acts", "figures", "communes"],
            "properties": {
                "code": {"type": "string", "minLength": 1, "maxLength": 30},
                "province": {"type": "string"},
                "name": {"type": "string", "maxLength": 200},
                # optional: absent from bundles of earlier instances (then the receiver keeps its own value)
                "mountainous_area": {"type": "boolean"},
                **{f: _DECIMAL for f in CLUSTER_DECIMALS},
                "land_confirmed_on": _DATE,
                "investor": _nullable("string"),
                "communes": {"type": "array", "items": {"type": "string"}},
                "sectors": {"type": "array", "items": {"type": "string"}},
                "status": {"type": "string"},
                "status_since": _DATE,
                "documents": {"type": "array", "items": _DOCUMENT},
                "acts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["action", "to", "effective_on"],
                        "properties": {
                            "action": {"type": "string"},
                            "from": {"type": "string"},
                            "to": {"type": "string"},
                            "effective_on": {"type": "string", "format": "date"},
                            "document": _DOCUMENT,
                            "comment": {"type": "string"},
                        },
                    },
                },
                # optional: absent from bundles of earlier instances (then the receiver keeps its own value)
                "former_address": {
                    "type": "object",
                    "properties": {
                        "province": {"type": "string"},
                        "district": {"type": "string"},
                        "commune": {"type": "string"},
                        "to_confirm": {"type": "boolean"},
                    },
                },
                "plant": {
                    "type": ["object", "null"],
                    "required": ["status"],
                    "properties": {
                        "status": {"type": "string"},
                        "design_capacity_m3_day": _DECIMAL,
                        "auto_monitoring": {"type": "boolean"},
                        "compliant": {"type": ["boolean", "null"]},
                        **{f: _DATE for f in (*PLANT_DATES, "last_result_on")},
                        # optional: absent from bundles of earlier instances (then only the last result travels)
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["sampled_on"],
                                "properties": {
                                    "sampled_on": {"type": "string", "format": "date"},
                                    "compliant": {"type": ["boolean", "null"]},
                                    "standard": {"type": "string"},
                                    "document": {"type": "string"},
                                    "note": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "figures": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "valid_from"],
                        "properties": {
                            "field": {"type": "string"},
                            "valid_from": {"type": "string", "format": "date"},
                            "value": _DECIMAL,
                            "text": {"type": "string"},
                            "organisation": _nullable("string"),
                        },
                    },
                },
            },
        },
        RecordKind.TENANT_PROJECT: {
            "type": "object",
            "required": ["cluster", "enterprise", "name", "status"],
            "properties": {
                "cluster": {"type": "string"},
                "enterprise": {"type": "string"},
                "sector": _nullable("string"),
                "sector_edition": {"enum": ["2018", "2025"]},
                **{f: _DECIMAL for f in PROJECT_DECIMALS},
                **{f: _DATE for f in PROJECT_DATES},
                "status": {"type": "string"},
                "status_since": _DATE,
            },
        },
        RecordKind.REPORT: {
            "type": "object",
            "required": ["form", "period", "revision", "values"],
            "properties": {
                "form": {"enum": list(REPORTED_FORMS)},
                "period": {
                    "type": "object",
                    "required": ["kind", "year"],
                    "properties": {"kind": {"type": "string"}, "year": {"type": "integer"}},
                },
                "revision": {"type": "integer", "minimum": 1},
                "values": {
                    "type": "object",
                    "propertyNames": {"enum": INDICATOR_CODES},
                    "additionalProperties": _DECIMAL,
                },
                "approved_at": _nullable("string"),
                "approved_by": {"type": "string"},
                "signed": {
                    "type": ["object", "null"],
                    "required": ["number", "signed_on", "signer", "sha256", "content_type"],
                    "properties": {
                        "number": {"type": "string", "minLength": 1, "maxLength": 60},
                        "signed_on": {"type": "string", "format": "date"},
                        "signer": {"type": "string", "minLength": 1, "maxLength": 200},
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "content_type": {"enum": list(SCAN_TYPES)},
                    },
                },
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "/api/v1/exchange/schema/1",
        "title": "CCN exchange bundle, format version 1",
        "type": "object",
        "required": ["format", "format_version", "source", "batch", "records"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"type": "integer", "minimum": 1},
            "source": {
                "type": "object",
                "required": ["instance", "province"],
                "properties": {
                    "instance": {"type": "string", "minLength": 1, "maxLength": 100},
                    "province": {"type": "string"},
                },
            },
            "batch": {
                "type": "object",
                "required": ["id", "sequence", "checksum"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "sequence": {"type": "integer", "minimum": 1},
                    "created_at": {"type": "string"},
                    "record_count": {"type": "integer"},
                    "checksum": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                },
            },
            "records": {
                "type": "array",
                "items": {
                    "allOf": [record_base]
                    + [
                        {
                            "if": {"properties": {"kind": {"const": kind}}},
                            "then": {"properties": {"data": schema}},
                        }
                        for kind, schema in data_of.items()
                    ]
                },
            },
        },
    }
