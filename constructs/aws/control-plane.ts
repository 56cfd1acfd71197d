import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { Role, managedPolicyArn, serviceTrust, type ServiceAccountIdentity } from "./iam";

/** Every control-plane log type: API calls, audit trail, IAM authentication, controller manager, scheduler. */
const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const CONTROL_PLANE_LOG_RETENTION_DAYS = 90;

export interface EksControlPlaneProps {
  /** Name of the EKS cluster; also names its key alias, log group and roles. */
  readonly clusterName: string;
  /** Kubernetes version of the control plane, e.g. "1.33". */
  readonly version: string;
  /** AWS partition (aws, aws-us-gov, …), for the ARN of the cluster role's managed policy. */
  readonly partition: string;
  /** AWS region of the cluster: CloudWatch Logs there encrypts the control-plane logs with the kit's key. */
  readonly region: string;
  /** Subnets of the control plane's network interfaces, in at least two AZs. */
  readonly subnetIds: readonly string[];
  /**
   * CIDRs allowed to a public API endpoint; the private endpoint serves the VPC either way.
   * @default - no public endpoint: the API is reachable from the VPC and what is routed into it only
   */
  readonly publicAccessCidrs?: readonly string[];
}

/**
 * The EKS control plane: Secrets envelope-encrypted with a customer-managed KMS key, all
 * control-plane logs kept for 90 days and encrypted with a second key, the API endpoint private
 * (public from an allow-list only when asked for), and the IAM OIDC provider that lets add-ons
 * use their own narrow roles (IRSA).
 */
export class EksControlPlane extends Construct {
  /** The cluster: its name, version, endpoint and CA reach the add-ons, node groups and providers. */
  readonly cluster: EksCluster;
  /** The cluster's IAM OIDC provider, for roles of Kubernetes service accounts (IRSA). */
  readonly identity: ServiceAccountIdentity;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const { clusterName } = props;
    const secretsKey = new KmsKey(this, "secrets-key", {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "secrets-key-alias", { name: `alias/${clusterName}-secrets`, targetKeyId: secretsKey.keyId });

    // Created here, before the cluster, so the logs expire instead of piling up forever.
    const logGroupName = `/aws/eks/${clusterName}/cluster`;
    const logsKey = new KmsKey(this, "logs-key", {
      description: `Encryption of the control-plane logs of EKS cluster ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: controlPlaneLogsKeyPolicy(this, props, logGroupName),
    });
    new KmsAlias(this, "logs-key-alias", { name: `alias/${clusterName}-logs`, targetKeyId: logsKey.keyId });
    const logs = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
      kmsKeyId: logsKey.arn,
    });

    const role = new Role(this, "cluster-role", {
      namePrefix: `${clusterName}-cluster-`,
      description: `EKS control plane of ${clusterName}`,
      trust: serviceTrust("eks.amazonaws.com"),
      managedPolicyArns: [managedPolicyArn(props.partition, "AmazonEKSClusterPolicy")],
      // The managed policy has no KMS rights; these are the ones Secrets encryption uses, on this key only.
      inlinePolicy: [
        {
          effect: "Allow",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          resources: [secretsKey.arn],
        },
      ],
    });

    this.cluster = new EksCluster(this, "cluster", {
      name: clusterName,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: props.publicAccessCidrs !== undefined,
        publicAccessCidrs: props.publicAccessCidrs && [...props.publicAccessCidrs],
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      // Access entries, with the identity that runs `cdktf deploy` as the first cluster admin.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      // vpc-cni, kube-proxy and CoreDNS come as managed add-ons (see addons.ts), not as unmanaged manifests.
      bootstrapSelfManagedAddons: false,
      // When the pinned version leaves standard support, EKS upgrades it instead of billing extended support (6× the price).
      upgradePolicy: { supportType: "STANDARD" },
      dependsOn: [logs, ...role.grants],
    });

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    const provider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
    });
    this.identity = { oidcProviderArn: provider.arn, oidcIssuer: Fn.replace(issuer, "https://", "") };
  }
}

/**
 * The logs key's policy: the account administers it through IAM (the key policy AWS gives a
 * key by default), and CloudWatch Logs in the cluster's region may use it for this log group
 * only. Source: "Encrypt log data in CloudWatch Logs using AWS Key Management Service", step 2
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html, read 2026-11-26).
 */
function controlPlaneLogsKeyPolicy(scope: Construct, props: EksControlPlaneProps, logGroupName: string): string {
  const account = new DataAwsCallerIdentity(scope, "account").accountId;
  const logGroupArn = `arn:${props.partition}:logs:${props.region}:${account}:log-group:${logGroupName}`;
  return new DataAwsIamPolicyDocument(scope, "logs-key-policy", {
    statement: [
      {
        sid: "AccountAdministersTheKey",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${account}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      {
        sid: "CloudWatchLogsEncryptsThisLogGroup",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: [`logs.${props.region}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [{ test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: [logGroupArn] }],
      },
    ],
  }).json;
}
