import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import type { Environment, PlannedModel } from "../core/load-environment";
import { endpointUrl, type DeployTimeAddress } from "../core/endpoint-url";
import { endpointOutputId, type EndpointOutput } from "../core/contract/outputs";

export interface EndpointOutputProps {
  environment: Environment;
  model: PlannedModel;
  /** Position of the model in the environment's list (a NodePort exposure numbers ports by it). */
  modelIndex: number;
  service: ServiceV1;
  /** `<namespace>/<secret>` of the API key Secret: its name, never its value. */
  apiKeySecret: string;
  /** Overrides the exposure's base URL (the AWS target's TLS load balancer). */
  baseUrl?: string;
}

/**
 * The `endpoint_<model>` output documented in docs/outputs.md, read by the VS Code extension.
 * Its value is checked against the shared contract at compile time: a field missing, renamed or
 * added on one side only does not compile.
 */
export function addEndpointOutput(scope: Construct, props: EndpointOutputProps): TerraformOutput {
  const { environment, model } = props;
  const id = endpointOutputId(model.config.servedName);
  const output = new TerraformOutput(scope, id, {
    description: `OpenAI-compatible endpoint of ${model.config.servedName} (${environment.name})`,
    value: {
      environment: environment.name,
      served_model_name: model.config.servedName,
      base_url:
        props.baseUrl ??
        endpointUrl(
          environment.config.exposure,
          model.config.servedName,
          props.modelIndex,
          environment.config.namespace,
          deployTimeAddress(props.service),
        ),
      role: model.config.role,
      fim_template: model.spec.fimTemplate,
      max_model_len: model.plan.maxModelLen,
      tool_calling: model.serving.toolCallParser !== undefined,
      api_key_secret: props.apiKeySecret,
    } satisfies EndpointOutput,
  });
  output.overrideLogicalId(id);
  return output;
}

/** Terraform expressions for the addresses the cluster assigns at deploy time. */
function deployTimeAddress(service: ServiceV1): DeployTimeAddress {
  const ingress = `${service.fqn}.status[0].load_balancer[0].ingress[0]`;
  return {
    nodePort: `\${${service.fqn}.spec[0].port[0].node_port}`,
    loadBalancerHost: `\${coalesce(${ingress}.hostname, ${ingress}.ip)}`,
  };
}
