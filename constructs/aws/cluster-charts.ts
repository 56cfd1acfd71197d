import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { LOAD_BALANCER_CONTROLLER_CHART, NVIDIA_DEVICE_PLUGIN_CHART } from "../../core/pins";
import { LOAD_BALANCER_CONTROLLER_ACCOUNT } from "./load-balancer-controller-role";

export interface NvidiaDevicePluginProps {
  /**
   * What must exist before the chart installs (the GPU node groups it runs on).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Advertises each node's GPUs as `nvidia.com/gpu`. The chart's default node affinity picks
 * nodes labelled nvidia.com/gpu.present=true, which the GPU node groups set, and it tolerates
 * their taint; the NVIDIA AMI already carries the driver and container toolkit.
 */
export class NvidiaDevicePlugin extends Construct {
  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps = {}) {
    super(scope, id);
    new Release(this, "release", {
      name: "nvidia-device-plugin",
      namespace: "kube-system",
      ...NVIDIA_DEVICE_PLUGIN_CHART,
      wait: true,
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
  }
}

export interface LoadBalancerControllerProps {
  /** Name of the EKS cluster whose Services the controller serves. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** VPC the NLBs go into. */
  readonly vpcId: string;
  /** ARN of the controller's IAM role (LoadBalancerControllerRole, in the cluster stack). */
  readonly roleArn: string;
  /**
   * What must exist before the chart installs.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The AWS Load Balancer Controller, which turns each model's Service into an NLB, running with
 * the IAM role the cluster stack made for its service account. Values keys checked against the
 * chart in core/pins.ts (test/aws/chart-values.test.ts lists them).
 */
export class LoadBalancerController extends Construct {
  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    const values = {
      clusterName: props.clusterName,
      // Given explicitly: with IMDSv2 at hop limit 1 the pods cannot look them up.
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: 2,
      serviceAccount: {
        create: true,
        name: LOAD_BALANCER_CONTROLLER_ACCOUNT,
        annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
      },
      // Services opt in by annotation; a controller that is down must not block creating Services.
      enableServiceMutatorWebhook: false,
      // ALB-only features the policy does not grant.
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
    };
    new Release(this, "release", {
      name: "aws-load-balancer-controller",
      namespace: "kube-system",
      ...LOAD_BALANCER_CONTROLLER_CHART,
      values: [JSON.stringify(values)],
      wait: true,
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
  }
}
