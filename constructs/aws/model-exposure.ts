import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { modelBaseUrl, modelHost } from "../../core/aws/names";
import { nlbServiceExposure } from "../../core/aws/nlb-service";
import type { AwsTarget } from "../../core/schema/target";
import type { ApiClientSource } from "../serving/api-exposure";
import type { ServiceExposure } from "../serving/vllm-server";

export interface AwsModelExposureProps {
  /** The target's load balancer settings: scheme, client allow-list, domain and Route 53 zone. */
  readonly loadBalancer: AwsTarget["loadBalancer"];
  /**
   * The subnets of the NLBs' scheme (cross-stack references to the cluster stack): the NLBs go
   * there, and from there they reach the pods.
   */
  readonly loadBalancerSubnets: { readonly ids: readonly string[]; readonly cidrs: readonly string[] };
  /** ARN of the issued certificate (a cross-stack reference to the cluster stack). */
  readonly certificateArn: string;
}

/** A model whose NLB gets a DNS name. */
export interface PublishedModel {
  /** The model's served name: its DNS name is `aicockpit-<model>.<domain>`. */
  readonly servedName: string;
  /** The model's LoadBalancer Service, whose status names its NLB at deploy time. */
  readonly service: ServiceV1;
}

/**
 * How the models are reached on aws: each model's Service becomes an NLB with TLS on 443,
 * named `aicockpit-<model>.<domain>` by a Route 53 record when the zone is the kit's to write.
 */
export class AwsModelExposure extends Construct {
  /** The Service each model gets: an NLB with TLS on 443, open to the allow-listed clients. */
  readonly service: ServiceExposure;
  /**
   * Who the models' NetworkPolicy admits: the NLBs, from their subnets, where no pod has an
   * address. With ip targets the controller leaves client IP preservation off, so the NLB
   * connects from its own private address (annotations.md, "preserve client IP is disabled by
   * default for IP targets"); clients are filtered by the NLB's security group instead.
   */
  readonly apiClientSources: readonly ApiClientSource[];
  private readonly loadBalancer: AwsTarget["loadBalancer"];

  constructor(scope: Construct, id: string, props: AwsModelExposureProps) {
    super(scope, id);
    this.loadBalancer = props.loadBalancer;
    this.service = nlbServiceExposure(props.loadBalancer, props.certificateArn, props.loadBalancerSubnets.ids);
    this.apiClientSources = props.loadBalancerSubnets.cidrs.map((cidr) => ({ kind: "cidr", cidr }));
  }

  /** The model's OpenAI-compatible base URL: `https://aicockpit-<model>.<domain>/v1`. */
  baseUrl(servedName: string): string {
    return modelBaseUrl(this.loadBalancer.domain, servedName);
  }

  /** DNS names for the models' NLBs, and the `load_balancers` output mapping each name to its NLB. */
  publish(models: readonly PublishedModel[]): void {
    const { domain, route53ZoneId } = this.loadBalancer;
    const targets: Record<string, string> = {};
    for (const model of models) {
      const host = modelHost(domain, model.servedName);
      const nlb = model.service.status.get(0).loadBalancer.get(0).ingress.get(0).hostname;
      targets[host] = nlb;
      if (route53ZoneId !== undefined) {
        new Route53Record(this, `${host}-record`, { zoneId: route53ZoneId, name: host, type: "CNAME", ttl: 60, records: [nlb] });
      }
    }
    // Declared on the stack, so the outputs file lists it beside the endpoints, not under this construct.
    new TerraformOutput(TerraformStack.of(this), "load-balancers", {
      description: "DNS name of each model → the NLB it must point to (a CNAME; the kit writes it when route53ZoneId is set)",
      value: targets,
    }).overrideLogicalId("load_balancers");
  }
}
