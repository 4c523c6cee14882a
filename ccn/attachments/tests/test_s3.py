"""With CCN_S3_BUCKET set, files go to S3-compatible object storage through django-storages (boto3). The test runs
a real S3-compatible HTTP server in the test process (moto's server) and stores and reads an attachment through
it: the upload lands in the bucket, the download gives the same bytes, the scope still applies."""

import hashlib
import json
import os
import subprocess
import sys

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from ccn.attachments import services
from ccn.attachments.models import Kind

from .conftest import PDF

BUCKET = "ccn-test-attachments"
KEYS = {"access_key": "ccn-test", "secret_key": "ccn-test-secret", "region_name": "us-east-1"}


@pytest.fixture
def s3(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region_name"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "location": "ccn", **KEYS},
        },
    }
    yield client
    server.stop()


@pytest.mark.django_db
def test_an_attachment_is_stored_in_and_read_from_s3(users, records, s3):
    attachment = services.attach(
        actor=users["editor"],
        record=records["inspection"],
        file=SimpleUploadedFile("bien-ban-kiem-tra.pdf", PDF),
        kind=Kind.SIGNED_SCAN,
    )
    stored = s3.get_object(Bucket=BUCKET, Key=f"ccn/{attachment.file.name}")["Body"].read()
    assert stored == PDF and attachment.sha256 == hashlib.sha256(PDF).hexdigest()

    url = reverse("attachments:download", args=[attachment.pk])
    editor = Client()
    editor.force_login(users["editor"])
    download = editor.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    other = Client()
    other.force_login(users["other_editor"])
    assert other.get(url).status_code == 404


def test_settings_choose_s3_when_a_bucket_is_named():
    code = "import json, config.settings as s; print(json.dumps(s.STORAGES['default'], default=str))"
    env = {
        **os.environ,
        "CCN_S3_BUCKET": "ccn-files",
        "CCN_S3_ENDPOINT_URL": "https://s3.example.vn",
        "CCN_S3_ACCESS_KEY_ID": "key",
        "CCN_S3_SECRET_ACCESS_KEY": "secret",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    default = json.loads(out.stdout.strip().splitlines()[-1])
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "ccn-files"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    env.pop("CCN_S3_BUCKET")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1])["BACKEND"] == "django.core.files.storage.FileSystemStorage"
