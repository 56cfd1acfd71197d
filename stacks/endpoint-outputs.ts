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
 * The `endpoint_<model>` outputs documented in docs/outputs.md, read by the VS Code extension: one
 * for the model and one for each of its LoRA adapters, which the same server serves under the
 * adapter's name (same base URL, role, FIM family and context). Each value is checked against the
 * shared contract at compile time: a field missing, renamed or added on one side only does not compile.
 */
export function addEndpointOutputs(scope: Construct, props: EndpointOutputProps): TerraformOutput[] {
  const { environment, model } = props;
  const base: Omit<EndpointOutput, "served_model_name"> = {
    environment: environment.name,
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
    api_key_secret: props.apiKeySecret,
    tool_calling: model.serving.toolCallParser !== undefined,
  };
  const adapters = model.serving.lora?.adapters ?? [];
  return [
    { name: model.config.servedName, description: `OpenAI-compatible endpoint of ${model.config.servedName} (${environment.name})` },
    ...adapters.map((adapter) => ({
      name: adapter.name,
      description: `LoRA adapter ${adapter.name} on ${model.config.servedName} (${environment.name})`,
    })),
  ].map(({ name, description }) => {
    const id = endpointOutputId(name);
    const output = new TerraformOutput(scope, id, {
      description,
      value: { ...base, served_model_name: name } satisfies EndpointOutput,
    });
    output.overrideLogicalId(id);
    return output;
  });
}

/** Terraform expressions for the addresses the cluster assigns at deploy time. */
function deployTimeAddress(service: ServiceV1): DeployTimeAddress {
  const ingress = `${service.fqn}.status[0].load_balancer[0].ingress[0]`;
  return {
    nodePort: `\${${service.fqn}.spec[0].port[0].node_port}`,
    loadBalancerHost: `\${coalesce(${ingress}.hostname, ${ingress}.ip)}`,
  };
}
