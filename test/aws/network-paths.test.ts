/** Issue 11 item 7: network paths on aws and the node groups' size. */
import { GATEWAY_PROXY_SETTINGS, GATEWAY_TIMEOUT_SECONDS } from "../../core/gateway-config";
import { NLB_TLS_IDLE_TIMEOUT_SECONDS } from "../../core/aws/nlb-service";
import { subnetLayout } from "../../core/aws/network-plan";
import { awsYaml, issueAt, issuesOf } from "./fixtures";

describe("the gateway's timeouts", () => {
  it("stay below the NLB's idle timeout, so a stalled request ends with the gateway's 504, not a dropped flow", () => {
    expect(GATEWAY_TIMEOUT_SECONDS).toBeLessThan(NLB_TLS_IDLE_TIMEOUT_SECONDS);
    const timeouts = [...GATEWAY_PROXY_SETTINGS.matchAll(/_timeout (\d+)s;/g)].map(([, seconds]) => Number(seconds));
    expect(timeouts.length).toBeGreaterThan(0);
    for (const seconds of timeouts) expect(seconds).toBeLessThan(NLB_TLS_IDLE_TIMEOUT_SECONDS);
  });
});

describe("the internal NLBs' subnets", () => {
  it.each([
    ["10.0.0.0/16", 3],
    ["10.20.0.0/18", 2],
    ["172.16.0.0/20", 3],
  ])("in %s (%i AZs) hold no node or pod address and fit an NLB (at least a /27)", (vpc, zones) => {
    const layout = subnetLayout(vpc, zones);
    const range = (cidr: string) => {
      const [address, prefix] = cidr.split("/");
      const start = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
      return [start, start + 2 ** (32 - Number(prefix)) - 1];
    };
    for (const lb of layout.internalLoadBalancer) {
      expect(Number(lb.split("/")[1])).toBeLessThanOrEqual(27);
      const [start, end] = range(lb);
      for (const other of [...layout.private, ...layout.public]) {
        const [otherStart, otherEnd] = range(other);
        expect(end < otherStart || otherEnd < start).toBe(true);
      }
      const [vpcStart, vpcEnd] = range(vpc);
      expect(start >= vpcStart && end <= vpcEnd).toBe(true);
    }
  });
});

describe("a pool's scaling bounds", () => {
  it("are refused when they differ from nodes: no autoscaler would act on them", () => {
    const max = issueAt(
      awsYaml((doc) => (doc.gpuPools[0].maxNodes = 3)),
      "gpuPools[0].maxNodes",
    );
    expect(max.message).toBe(
      'maxNodes 3 differs from nodes 1, but no model on pool "l4" autoscales: its models have fixed replicas, so nothing would ever scale the node group',
    );
    expect(max.fix).toBe("remove maxNodes (or set it to 1); change nodes to resize the pool, or give a model on it autoscaling");
    expect(
      issueAt(
        awsYaml((doc) => Object.assign(doc.gpuPools[0], { nodes: 2, minNodes: 1 })),
        "gpuPools[0].minNodes",
      ).message,
    ).toMatch(/^minNodes 1 differs from nodes 2/);
    expect(issuesOf(awsYaml((doc) => Object.assign(doc.gpuPools[0], { minNodes: 1, maxNodes: 1 })))).toEqual([]);
  });
});

describe("a pool's availability zone", () => {
  it("must be one of the target's zones", () => {
    const unlisted = issueAt(
      awsYaml((doc) => {
        doc.target.availabilityZones = ["us-east-1a", "us-east-1b"];
        doc.gpuPools[0].availabilityZone = "us-east-1c";
      }),
      "gpuPools[0].availabilityZone",
    );
    expect(unlisted.message).toBe("us-east-1c is not one of target.availabilityZones (us-east-1a, us-east-1b)");
    const noList = issueAt(
      awsYaml((doc) => (doc.gpuPools[0].availabilityZone = "us-east-1c")),
      "gpuPools[0].availabilityZone",
    );
    expect(noList.fix).toBe("list the target's AZs in target.availabilityZones, this one among them");
  });

  it("is refused on an existing cluster, whose nodes the kit does not place", () => {
    const yaml = `
target: { kind: kubernetes, context: lab }
image: { tag: v0.11.0 }
gpuPools: [{ name: gpu, gpu: L4, gpusPerNode: 1, nodes: 1, availabilityZone: us-east-1a }]
models: [{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxModelLen: 16384 }]
`;
    expect(issueAt(yaml, "gpuPools[0].availabilityZone").fix).toBe("remove availabilityZone");
  });
});
