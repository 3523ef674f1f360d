"""The AWS emulator for eksready's emulated-apply tests (emulated_test.go).

Runs moto's server on 127.0.0.1 only, at the port the test chose, with
what exists in AWS before eksready runs: the public SSM parameters AWS
publishes under /aws/service/ (moto neither ships them nor lets a client
write them: PutParameter refuses the reserved /aws prefix), and the S3
buckets a configuration sends flow logs to (the user's own). The Go test
starts this process, waits for "ready" and stops it by its PID.

usage: python3 moto_server.py PORT SEEDS.json
SEEDS.json: {"ssm": [{"region": "eu-west-1", "name": "/aws/service/...", "value": "..."}],
             "buckets": [{"region": "us-east-2", "name": "example-flow-logs"}]}
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


# Where moto 5.2.1 answers differently from AWS for something eksready's
# stacks use, the difference is corrected here, in the emulator, so that
# the emulated copy of a stack can stay the stack itself: no argument
# stripped and no attribute ignored on its account. Each patch is the
# narrowest change that makes moto store and return what AWS stores and
# returns; TestEmulatorRoundTrips applies one resource of each kind and
# requires the next plan to be empty, so a patch that stops working (a new
# moto) fails there, by name. Each line of PATCHES is printed at start-up.
PATCHES = []


def patch(description):
    def register(fn):
        PATCHES.append((description, fn))
        return fn

    return register


def _keep_params(result_key, params):
    """Wraps a moto response method so that the object it returns also
    stores the given request parameters (request name -> attribute), which
    moto's own method reads from the request but never keeps."""

    def wrap(method):
        def keeping(self):
            result = method(self)
            obj = result.result[result_key]
            for param, (attr, shape) in params.items():
                value = self._get_param(param)
                if value is not None:
                    setattr(obj, attr, shape(value))
            return result

        return keeping

    return wrap


@patch("EKS CreateCluster keeps accessConfig.authenticationMode, upgradePolicy and zonalShiftConfig, "
       "and DescribeCluster returns them (moto drops them; AWS returns them, not bootstrapClusterCreatorAdminPermissions)")
def _eks_cluster_settings():
    from moto.eks.responses import EKSResponse

    EKSResponse.create_cluster = _keep_params("cluster", {
        "accessConfig": ("access_config", lambda v: {k: v[k] for k in ("authenticationMode",) if k in v}),
        "upgradePolicy": ("upgrade_policy", dict),
        "zonalShiftConfig": ("zonal_shift_config", dict),
    })(EKSResponse.create_cluster)


@patch("EKS CreateNodegroup keeps updateConfig and nodeRepairConfig (moto drops them), "
       "and invents no remoteAccess {ec2SshKey: eksKeypair} for a node group created without one")
def _eks_nodegroup_settings():
    from moto.eks import models
    from moto.eks.responses import EKSResponse

    models.DEFAULT_REMOTE_ACCESS = None
    EKSResponse.create_nodegroup = _keep_params("nodegroup", {
        "updateConfig": ("update_config", dict),
        "nodeRepairConfig": ("node_repair_config", dict),
    })(EKSResponse.create_nodegroup)


@patch("EC2 CreateLaunchTemplate keeps the template's own tags (tag specification 'launch-template') "
       "out of the launch template data (moto copies them in, so they read back as a fourth tag_specifications)")
def _launch_template_tags():
    from moto.ec2.models.launch_templates import LaunchTemplateBackend

    create = LaunchTemplateBackend.create_launch_template

    def create_launch_template(self, name, description, template_data, tag_spec):
        specs = template_data.get("TagSpecifications")
        if specs is not None:
            template_data["TagSpecifications"] = [s for s in specs if s.get("ResourceType") != "launch-template"]
        return create(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = create_launch_template


@patch("EC2 DescribeSubnets reports an associated IPv6 CIDR's state as 'associated' "
       "(moto nests the state object inside itself, so the provider waits for 'associated' until it times out)")
def _subnet_ipv6_state():
    from moto.ec2.models.subnets import Subnet

    def association_set(self):
        return [
            {
                "ipv6CidrBlock": a["ipv6CidrBlock"],
                "associationId": a["associationId"],
                "ipv6CidrBlockState": {"state": a["ipv6CidrBlockState"]["State"]},
            }
            for a in self.ipv6_cidr_block_associations.values()
            if a["ipv6CidrBlockState"]["State"] == "associated"
        ]

    Subnet.ipv6_cidr_block_association_set = property(association_set)


@patch("EC2 ModifySubnetAttribute stores EnableDns64 and EnableResourceNameDnsAAAARecordOnLaunch, "
       "and DescribeSubnets returns them (moto ignores both)")
def _subnet_dns64():
    from moto.ec2.responses.subnets import Subnets

    modify = Subnets.modify_subnet_attribute

    def modify_subnet_attribute(self):
        subnet = self.ec2_backend.get_subnet(self._get_param("SubnetId"))
        dns64 = self._get_param("EnableDns64.Value")
        if dns64 is not None:
            subnet.enable_dns64 = str(dns64).lower() == "true"
        aaaa = self._get_param("EnableResourceNameDnsAAAARecordOnLaunch.Value")
        if aaaa is not None:
            subnet.private_dns_name_options_on_launch["EnableResourceNameDnsAAAARecord"] = str(aaaa).lower() == "true"
        return modify(self)

    Subnets.modify_subnet_attribute = modify_subnet_attribute


@patch("EC2 CreateSubnetCidrReservation keeps the description and GetSubnetCidrReservations returns it "
       "(moto drops it, and the argument forces a new reservation)")
def _cidr_reservation_description():
    from moto.ec2.responses.subnets import Subnets

    Subnets.create_subnet_cidr_reservation = _keep_params("SubnetCidrReservation", {
        "Description": ("description", str),
    })(Subnets.create_subnet_cidr_reservation)


def main():
    for description, fn in PATCHES:
        fn()
        print("patched: " + description, flush=True)
    port = int(sys.argv[1])
    with open(sys.argv[2]) as f:
        seeds = json.load(f)
    seed_ssm(seeds.get("ssm") or [])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    seed_buckets(f"http://127.0.0.1:{port}", seeds.get("buckets") or [])
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
