"""The AWS emulator for eksready's emulated-apply tests (emulated_test.go).

Runs moto's server on 127.0.0.1 only, at the port the test chose, with
what exists in AWS before eksready runs: the public SSM parameters AWS
publishes under /aws/service/ (moto neither ships them nor lets a client
write them: PutParameter refuses the reserved /aws prefix), the S3
buckets a configuration sends flow logs to (the user's own), and the
account's GuardDuty detector in the regions where a configuration turns
its Runtime Monitoring feature on (GuardDuty enabled by the account). The Go test
starts this process, waits for "ready" and stops it by its PID.

Additions for the day-two tests, in this emulator only:
- EKS access entries and their access policy associations, which moto
  5.2.1 does not implement: kept in memory by the handlers below, at the
  EKS API's REST paths, for the clusters moto holds. A test opts in by
  keeping aws_eks_access_entry in its emulated copy; the rest leave them
  out as before.
- EKS version updates, which moto 5.2.1 does not implement either
  (UpdateClusterVersion, UpdateNodegroupVersion, DescribeUpdate): the
  version or AMI release is set on moto's cluster or node group at once
  and the update reported Successful, so an upgrade can be applied.
- A control line on stdin, "ssm REGION NAME VALUE", publishes a new
  version of a public SSM parameter (as AWS does with each AMI release)
  and answers "ok" on stdout.

usage: python3 moto_server.py PORT SEEDS.json
SEEDS.json: {"ssm": [{"region": "eu-west-1", "name": "/aws/service/...", "value": "..."}],
             "buckets": [{"region": "us-east-2", "name": "example-flow-logs"}],
             "detectors": ["eu-central-1"]}
"""

import datetime
import json
import os
import re
import sys
import threading
import time
import uuid
from urllib.parse import unquote

# AWS managed policies (AmazonEKSClusterPolicy, ...) exist in moto only
# when it loads them; set before moto is imported.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402
from moto.ssm.models import Parameter, ssm_backends  # noqa: E402


def seed_ssm(params_in):
    for p in params_in:
        publish_ssm(p["region"], p["name"], p["value"])


def publish_ssm(region, name, value):
    """Adds a version of a public parameter; reads return the newest."""
    versions = ssm_backends[DEFAULT_ACCOUNT_ID][region]._parameters[name]
    versions.append(
        Parameter(
            account_id=DEFAULT_ACCOUNT_ID,
            name=name,
            value=value,
            parameter_type="String",
            description=None,
            allowed_pattern=None,
            keyid=None,
            last_modified_date=datetime.datetime.now(datetime.timezone.utc),
            version=len(versions) + 1,
            data_type="text",
        )
    )


# EKS access entries: {(region, cluster): {principal ARN: entry}}, and
# their associated policies: {(region, cluster, principal ARN): {policy ARN: association}}.
ACCESS_ENTRIES = {}
ACCESS_POLICIES = {}
ACCESS_LOCK = threading.Lock()
REGION_RE = re.compile(r"Credential=[^/]+/[0-9]+/([a-z0-9-]+)/eks/")


def eks_error(status, code, message):
    body = json.dumps({"__type": code, "message": message})
    return status, {"x-amzn-ErrorType": code, "Content-Type": "application/json"}, body


def eks_ok(doc):
    return 200, {"Content-Type": "application/json"}, json.dumps(doc)


def access_entries(request, full_url, headers):
    """The EKS access entry API (CreateAccessEntry, DescribeAccessEntry,
    UpdateAccessEntry, DeleteAccessEntry, ListAccessEntries,
    AssociateAccessPolicy, ListAssociatedAccessPolicies,
    DisassociateAccessPolicy) for clusters moto holds. Principal and policy
    ARNs arrive percent-encoded in the path, so the raw path is parsed."""
    from moto.eks.models import eks_backends

    m = REGION_RE.search(headers.get("Authorization", ""))
    region = m.group(1) if m else "us-east-1"
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.path
    parts = [unquote(p) for p in raw.split("?")[0].strip("/").split("/")]
    # clusters/NAME/access-entries[/PRINCIPAL[/access-policies[/POLICY]]]
    cluster, rest = parts[1], parts[3:]
    if cluster not in eks_backends[DEFAULT_ACCOUNT_ID][region].clusters:
        return eks_error(404, "ResourceNotFoundException", f"No cluster found for name: {cluster}.")
    body = json.loads(request.data or b"{}")
    now = time.time()
    with ACCESS_LOCK:
        entries = ACCESS_ENTRIES.setdefault((region, cluster), {})
        if not rest:
            if request.method == "GET":
                return eks_ok({"accessEntries": sorted(entries)})
            principal = body["principalArn"]
            if principal in entries:
                return eks_error(409, "ResourceInUseException", f"The specified access entry resource is already in use on this cluster.")
            kind, name = principal.split(":", 5)[5].split("/", 1)
            entry = {
                "clusterName": cluster,
                "principalArn": principal,
                "kubernetesGroups": body.get("kubernetesGroups") or [],
                "accessEntryArn": f"arn:aws:eks:{region}:{DEFAULT_ACCOUNT_ID}:access-entry/{cluster}/{kind}/{DEFAULT_ACCOUNT_ID}/{name.split('/')[-1]}/{uuid.uuid4()}",
                "createdAt": now,
                "modifiedAt": now,
                "tags": body.get("tags") or {},
                "username": body.get("username") or (f"arn:aws:sts::{DEFAULT_ACCOUNT_ID}:assumed-role/{name.split('/')[-1]}/{{{{SessionName}}}}" if kind == "role" else principal),
                "type": body.get("type") or "STANDARD",
            }
            entries[principal] = entry
            return eks_ok({"accessEntry": entry})
        principal = rest[0]
        entry = entries.get(principal)
        if entry is None:
            return eks_error(404, "ResourceNotFoundException", f"The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.")
        policies = ACCESS_POLICIES.setdefault((region, cluster, principal), {})
        if len(rest) == 1:
            if request.method == "GET":
                return eks_ok({"accessEntry": entry})
            if request.method == "DELETE":
                del entries[principal]
                ACCESS_POLICIES.pop((region, cluster, principal), None)
                return eks_ok({})
            if "kubernetesGroups" in body:
                entry["kubernetesGroups"] = body["kubernetesGroups"] or []
            if body.get("username"):
                entry["username"] = body["username"]
            entry["modifiedAt"] = now
            return eks_ok({"accessEntry": entry})
        if len(rest) == 2:
            if request.method == "GET":
                return eks_ok({"clusterName": cluster, "principalArn": principal, "associatedAccessPolicies": list(policies.values())})
            assoc = policies.get(body["policyArn"], {"policyArn": body["policyArn"], "associatedAt": now})
            assoc.update({"accessScope": body.get("accessScope") or {"type": "cluster"}, "modifiedAt": now})
            policies[body["policyArn"]] = assoc
            return eks_ok({"clusterName": cluster, "principalArn": principal, "associatedAccessPolicy": assoc})
        policies.pop(rest[2], None)
        return eks_ok({})


# EKS updates by ID, as DescribeUpdate returns them.
UPDATES = {}


def record_update(kind, params, now):
    update = {
        "id": str(uuid.uuid4()),
        "status": "Successful",
        "type": kind,
        "params": params,
        "createdAt": now,
        "errors": [],
    }
    UPDATES[update["id"]] = update
    return update


def eks_updates(request, full_url, headers):
    """UpdateClusterVersion (POST /clusters/NAME/updates), DescribeUpdate
    (GET /clusters/NAME/updates/ID) and UpdateNodegroupVersion (POST
    /clusters/NAME/node-groups/NODEGROUP/update-version), done at once."""
    from moto.eks.models import eks_backends

    m = REGION_RE.search(headers.get("Authorization", ""))
    region = m.group(1) if m else "us-east-1"
    parts = [unquote(p) for p in request.path.strip("/").split("/")]
    cluster = eks_backends[DEFAULT_ACCOUNT_ID][region].clusters.get(parts[1])
    if cluster is None:
        return eks_error(404, "ResourceNotFoundException", f"No cluster found for name: {parts[1]}.")
    body = json.loads(request.data or b"{}")
    now = time.time()
    if parts[2] == "node-groups":
        nodegroup = cluster.nodegroups.get(parts[3])
        if nodegroup is None:
            return eks_error(404, "ResourceNotFoundException", f"No node group found for name: {parts[3]}.")
        params = []
        if body.get("version"):
            nodegroup.version = body["version"]
            params.append({"type": "Version", "value": body["version"]})
        if body.get("releaseVersion"):
            nodegroup.release_version = body["releaseVersion"]
            params.append({"type": "ReleaseVersion", "value": body["releaseVersion"]})
        return eks_ok({"update": record_update("VersionUpdate", params, now)})
    if len(parts) > 3:
        # moto's own node group and cluster config updates have IDs this
        # emulator did not record: they are done at once too.
        update = UPDATES.get(parts[3]) or {"id": parts[3], "status": "Successful", "type": "ConfigUpdate", "params": [], "createdAt": now, "errors": []}
        return eks_ok({"update": update})
    if request.method == "GET":
        return eks_ok({"updateIds": sorted(UPDATES)})
    cluster.version = body["version"]
    return eks_ok({"update": record_update("VersionUpdate", [{"type": "Version", "value": body["version"]}], now)})


def serve_access_entries():
    """Routes the access entry and update APIs to the handlers above,
    before moto's EKS app is built (it reads the URL map once)."""
    import moto.eks.urls

    moto.eks.urls.url_paths["{0}/clusters/(?P<name>[^/]+)/access-entries(?P<rest>.*)$"] = access_entries
    moto.eks.urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates(?P<rest>.*)$"] = eks_updates
    moto.eks.urls.url_paths["{0}/clusters/(?P<name>[^/]+)/node-groups/(?P<nodegroupName>[^/]+)/update-version$"] = eks_updates


def control_loop():
    """Answers control lines on stdin (see the module's docstring)."""
    for line in sys.stdin:
        words = line.split()
        if len(words) == 4 and words[0] == "ssm":
            publish_ssm(words[1], words[2], words[3])
            print("ok", flush=True)
        elif words:
            print(f"error: unknown control line {line.strip()!r}", flush=True)


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
    for description, fn in PATCHES:
        fn()
        print("patched: " + description, flush=True)
    port = int(sys.argv[1])
    with open(sys.argv[2]) as f:
        seeds = json.load(f)
    seed_ssm(seeds.get("ssm") or [])
    serve_access_entries()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    seed_buckets(f"http://127.0.0.1:{port}", seeds.get("buckets") or [])
    seed_detectors(f"http://127.0.0.1:{port}", sorted(set(seeds.get("detectors") or [])))
    print("ready", flush=True)
    control_loop()
    # stdin closed: keep serving until the test stops this process.
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
