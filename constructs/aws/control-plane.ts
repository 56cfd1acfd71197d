import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { Role, managedPolicyArn, serviceTrust, type ServiceAccountIdentity } from "./iam";

/** Every control-plane log type: API calls, audit trail, IAM authentication, controller manager, scheduler. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
export const CONTROL_PLANE_LOG_RETENTION_DAYS = 90;

export interface EksControlPlaneProps {
  clusterName: string;
  version: string;
  partition: string;
  subnetIds: string[];
  /** CIDRs allowed to the public API endpoint; the private endpoint serves the VPC. */
  publicAccessCidrs: string[];
}

/**
 * The EKS control plane: Secrets envelope-encrypted with a customer-managed KMS key, all
 * control-plane logs kept for 90 days, the API endpoint private plus public from an allow-list
 * only, and the IAM OIDC provider that lets add-ons use their own narrow roles (IRSA).
 */
export class EksControlPlane extends Construct {
  readonly cluster: EksCluster;
  readonly secretsKey: KmsKey;
  readonly identity: ServiceAccountIdentity;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const { clusterName } = props;
    this.secretsKey = new KmsKey(this, "secrets-key", {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "secrets-key-alias", { name: `alias/${clusterName}-secrets`, targetKeyId: this.secretsKey.keyId });

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
          resources: [this.secretsKey.arn],
        },
      ],
    });

    this.cluster = new EksCluster(this, "cluster", {
      name: clusterName,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: props.publicAccessCidrs,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.arn } },
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
