import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { LoadBalancerController, NvidiaDevicePlugin } from "../constructs/aws/cluster-charts";
import { ClusterAutoscaler } from "../constructs/aws/cluster-autoscaler";
import { connectToEks } from "../constructs/aws/eks-providers";
import { DEFAULT_STORAGE_CLASS, EncryptedDefaultStorageClass, SharedModelCacheStorageClass } from "../constructs/aws/storage-class";
import { VLLM_UID } from "../constructs/serving/pod-security";
import { ClusterMonitoring } from "../constructs/monitoring/cluster-monitoring";
import { KedaInstall } from "../constructs/serving/keda";
import { installsKeda, scalesLeaderWorkerSets } from "../core/scale/autoscaling";
import { clusterServicesStackName } from "../core/aws/names";
import type { AwsEnvironment } from "../core/load-environment";
import type { AwsClusterStack } from "./aws-cluster-stack";
import { clusterMonitoringProps } from "./monitoring-props";
import { configureStateBackend } from "./state-backend";

/**
 * `aicockpit-<env>-services`: what the cluster runs for every model, installed once the cluster
 * stack has built it: the default encrypted StorageClass, the NVIDIA device plugin, the AWS Load
 * Balancer Controller and, when monitoring is on, the monitoring charts. Its Kubernetes and
 * Helm providers read the cluster's endpoint and CA from the cluster stack's remote state.
 */
export class AwsClusterServicesStack extends TerraformStack {
  constructor(scope: Construct, environment: AwsEnvironment, cluster: AwsClusterStack) {
    super(scope, clusterServicesStackName(environment.name));
    configureStateBackend(this, environment.config.state);
    this.addDependency(cluster);
    const { reference } = cluster;
    connectToEks(this, reference);
    new EncryptedDefaultStorageClass(this, "storage-class");
    if (reference.sharedModelCacheFileSystemId !== undefined)
      new SharedModelCacheStorageClass(this, "shared-model-cache-storage-class", {
        fileSystemId: reference.sharedModelCacheFileSystemId,
        uid: VLLM_UID,
      });
    new NvidiaDevicePlugin(this, "nvidia-device-plugin");
    new LoadBalancerController(this, "load-balancer-controller", {
      clusterName: reference.clusterName,
      region: reference.region,
      vpcId: reference.vpcId,
      roleArn: reference.loadBalancerControllerRoleArn,
    });
    const { config } = environment;
    if (reference.clusterAutoscalerRoleArn) {
      new ClusterAutoscaler(this, "cluster-autoscaler", {
        clusterName: reference.clusterName,
        kubernetesVersion: config.target.eksVersion,
        region: reference.region,
        roleArn: reference.clusterAutoscalerRoleArn,
      });
    }
    // KEDA's CRDs must exist before the serving stack plans its ScaledObjects.
    if (installsKeda(config))
      new KedaInstall(this, "keda", {
        namespace: config.autoscaling.kedaNamespace,
        watchNamespace: config.namespace,
        scalesLeaderWorkerSets: scalesLeaderWorkerSets(environment.models),
      });
    if (config.monitoring.enabled) {
      // Generates Grafana's admin password unless the file names a Secret.
      new RandomProvider(this, "random");
      // The models' namespace comes with the serving stack: PodMonitor and rules name it as a plain string.
      new ClusterMonitoring(this, "monitoring", clusterMonitoringProps(environment, config.namespace, DEFAULT_STORAGE_CLASS));
    }
  }
}
