import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { KedaInstall } from "../constructs/serving/keda";
import type { KubernetesEnvironment } from "../core/load-environment";
import { kedaStackName } from "../core/aws/names";
import { scalesLeaderWorkerSets } from "../core/scale/autoscaling";
import { connectToCluster } from "./cluster-connection";
import { configureStateBackend } from "./state-backend";

/**
 * KEDA on an existing cluster, in a stack of its own that the serving stack follows: the
 * serving stack's ScaledObjects are `kubernetes_manifest` resources, whose plan needs KEDA's
 * CRDs to exist already (on aws the cluster-services stack installs KEDA for the same reason).
 */
export class KedaStack extends TerraformStack {
  constructor(scope: Construct, environment: KubernetesEnvironment) {
    super(scope, kedaStackName(environment.name));
    configureStateBackend(this, environment.config.state);
    connectToCluster(this, environment);
    new KedaInstall(this, "keda", {
      namespace: environment.config.autoscaling.kedaNamespace,
      watchNamespace: environment.config.namespace,
      scalesLeaderWorkerSets: scalesLeaderWorkerSets(environment.models),
    });
  }
}
