import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
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
  /** Subnets of the control plane's network interfaces, in at least two AZs. */
  readonly subnetIds: readonly string[];
  /** CIDRs allowed to the public API endpoint; the private endpoint serves the VPC. */
  readonly publicAccessCidrs: readonly string[];
}

/**
 * The EKS control plane: Secrets envelope-encrypted with a customer-managed KMS key, all
 * control-plane logs kept for 90 days, the API endpoint private plus public from an allow-list
 * only, and the IAM OIDC provider that lets add-ons use their own narrow roles (IRSA).
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
    const logs = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
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
        endpointPublicAccess: true,
        publicAccessCidrs: [...props.publicAccessCidrs],
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
