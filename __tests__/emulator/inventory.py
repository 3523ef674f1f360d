"""Lists what the emulator holds, for eksready's emulated-apply tests.

The test runs it before apply and after destroy and fails on anything new:
destroy must leave nothing behind. (moto's own /moto-api/data.json keeps
every object ever created, deleted or not, so it cannot answer this.)

usage: python3 inventory.py ENDPOINT REGION
prints a JSON object: "<service> <kind>" -> sorted list of identifiers
"""

import json
import sys

import boto3


def main():
    endpoint, region = sys.argv[1], sys.argv[2]

    def client(name):
        return boto3.client(
            name,
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    out = {}

    def put(kind, ids):
        out[kind] = sorted(str(i) for i in ids)

    ec2 = client("ec2")
    put("ec2 vpc", [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")])
    put("ec2 subnet", [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if not s.get("DefaultForAz")])
    put("ec2 internet-gateway", [g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]])
    put("ec2 egress-only-internet-gateway", [g["EgressOnlyInternetGatewayId"] for g in ec2.describe_egress_only_internet_gateways()["EgressOnlyInternetGateways"]])
    put("ec2 nat-gateway", [g["NatGatewayId"] for g in ec2.describe_nat_gateways()["NatGateways"] if g["State"] not in ("deleted", "deleting")])
    put("ec2 elastic-ip", [a.get("AllocationId") for a in ec2.describe_addresses()["Addresses"]])
    put("ec2 route-table", [r["RouteTableId"] for r in ec2.describe_route_tables()["RouteTables"]])
    put("ec2 security-group", [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default"])
    put("ec2 vpc-endpoint", [e["VpcEndpointId"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"].lower() not in ("deleted", "deleting")])
    put("ec2 launch-template", [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]])
    put("ec2 flow-log", [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]])
    put("ec2 instance", [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"])

    eks = client("eks")
    clusters = eks.list_clusters()["clusters"]
    put("eks cluster", clusters)
    put("eks nodegroup", [c + "/" + n for c in clusters for n in eks.list_nodegroups(clusterName=c)["nodegroups"]])

    iam = client("iam")
    put("iam role", [r["RoleName"] for r in iam.list_roles()["Roles"]])
    put("iam policy", [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]])
    put("iam instance-profile", [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]])
    put("iam oidc-provider", [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]])

    kms = client("kms")
    # Destroy schedules a key's deletion (7-30 days), as AWS does.
    keys = [k["KeyId"] for k in kms.list_keys()["Keys"]]
    put("kms key", [k for k in keys if kms.describe_key(KeyId=k)["KeyMetadata"]["KeyState"] != "PendingDeletion"])
    put("kms alias", [a["AliasName"] for a in kms.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")])

    put("logs log-group", [g["logGroupName"] for g in client("logs").describe_log_groups()["logGroups"]])
    put("sqs queue", client("sqs").list_queues().get("QueueUrls", []))
    put("events rule", [r["Name"] for r in client("events").list_rules()["Rules"]])
    put("amp workspace", [w["workspaceId"] for w in client("amp").list_workspaces()["workspaces"]])
    put("guardduty detector", client("guardduty").list_detectors()["DetectorIds"])

    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
