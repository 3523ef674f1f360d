"""The AWS emulator for eksready's emulated-apply tests (emulated_test.go).

Runs moto's server on 127.0.0.1 only, at the port the test chose, with
what exists in AWS before eksready runs: the public SSM parameters AWS
publishes under /aws/service/ (moto neither ships them nor lets a client
write them: PutParameter refuses the reserved /aws prefix), the S3
buckets a configuration sends flow logs to (the user's own), and the
account's GuardDuty detector in the regions where a configuration turns
its Runtime Monitoring feature on (GuardDuty enabled by the account). The Go test
starts this process, waits for "ready" and stops it by its PID.

usage: python3 moto_server.py PORT SEEDS.json
SEEDS.json: {"ssm": [{"region": "eu-west-1", "name": "/aws/service/...", "value": "..."}],
             "buckets": [{"region": "us-east-2", "name": "example-flow-logs"}],
             "detectors": ["eu-central-1"]}
"""

import datetime
import json
import os
import sys
import time

# AWS managed policies (AmazonEKSClusterPolicy, ...) exist in moto only
# when it loads them; set before moto is imported.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402
from moto.ssm.models import Parameter, ssm_backends  # noqa: E402


def seed_ssm(params_in):
    for p in params_in:
        params = ssm_backends[DEFAULT_ACCOUNT_ID][p["region"]]._parameters
        params[p["name"]].append(
            Parameter(
                account_id=DEFAULT_ACCOUNT_ID,
                name=p["name"],
                value=p["value"],
                parameter_type="String",
                description=None,
                allowed_pattern=None,
                keyid=None,
                last_modified_date=datetime.datetime.now(datetime.timezone.utc),
                version=1,
                data_type="text",
            )
        )


def seed_buckets(url, buckets):
    import boto3

    for b in buckets:
        s3 = boto3.client(
            "s3",
            endpoint_url=url,
            region_name=b["region"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        kwargs = {}
        if b["region"] != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": b["region"]}
        s3.create_bucket(Bucket=b["name"], **kwargs)


def seed_detectors(url, regions):
    import boto3

    for region in regions:
        boto3.client(
            "guardduty",
            endpoint_url=url,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_detector(Enable=True)


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2]) as f:
        seeds = json.load(f)
    seed_ssm(seeds.get("ssm") or [])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    seed_buckets(f"http://127.0.0.1:{port}", seeds.get("buckets") or [])
    seed_detectors(f"http://127.0.0.1:{port}", sorted(set(seeds.get("detectors") or [])))
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
