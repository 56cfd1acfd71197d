import { AWS_GPU_INSTANCES, AWS_SYSTEM_INSTANCES, findGpuInstance, instancesWithGpu } from "../../core/catalog/aws-instances";
import { EC2_ON_DEMAND_USD_PER_HOUR, ec2PricePerHour } from "../../core/catalog/aws-prices";
import { findGpu } from "../../core/catalog/gpus";

describe("AWS instance catalog", () => {
  it("maps every GPU instance type to a GPU of the GPU catalog", () => {
    for (const instance of AWS_GPU_INSTANCES) {
      expect(instance.gpu && findGpu(instance.gpu)).toBeDefined();
      expect(instance.gpus).toBeGreaterThanOrEqual(1);
    }
  });

  it("maps each family to its GPU", () => {
    const families: Record<string, string> = {
      g5: "A10G",
      g6: "L4",
      g6e: "L40S",
      p4d: "A100-40GB",
      p4de: "A100-80GB",
      p5: "H100-80GB",
      p5e: "H200",
      p5en: "H200",
    };
    for (const instance of AWS_GPU_INSTANCES) expect(instance.gpu).toBe(families[instance.id.split(".")[0]]);
    expect(new Set(AWS_GPU_INSTANCES.map((i) => i.id.split(".")[0]))).toEqual(new Set(Object.keys(families)));
  });

  it("knows the GPU count, vCPUs and memory of the sizes", () => {
    expect(findGpuInstance("g6.xlarge")).toEqual({
      id: "g6.xlarge",
      gpu: "L4",
      gpus: 1,
      vcpus: 4,
      memoryMiB: 16384,
      memoryGiB: 16,
      enis: 4,
      ipv4PerEni: 15,
    });
    expect(findGpuInstance("g6.12xlarge")).toMatchObject({ gpus: 4, vcpus: 48, memoryGiB: 192 });
    expect(findGpuInstance("g6e.12xlarge")).toMatchObject({ gpu: "L40S", gpus: 4, memoryGiB: 384 });
    expect(findGpuInstance("g5.48xlarge")).toMatchObject({ gpu: "A10G", gpus: 8, vcpus: 192 });
    expect(findGpuInstance("p5.48xlarge")).toMatchObject({ gpu: "H100-80GB", gpus: 8, memoryGiB: 2048 });
    expect(findGpuInstance("P4DE.24XLARGE")?.id).toBe("p4de.24xlarge");
    expect(findGpuInstance("g6.3xlarge")).toBeUndefined();
  });

  it("has no instance type twice", () => {
    const ids = [...AWS_GPU_INSTANCES, ...AWS_SYSTEM_INSTANCES].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("suggests the instance types of a GPU with enough GPUs, smallest first", () => {
    expect(instancesWithGpu("L4", 4).map((i) => i.id)).toEqual(["g6.12xlarge", "g6.24xlarge", "g6.48xlarge"]);
    expect(instancesWithGpu("h100-80gb").map((i) => i.id)).toEqual(["p5.4xlarge", "p5.48xlarge"]);
    expect(instancesWithGpu("RTX4090")).toEqual([]);
  });
});

describe("AWS price table", () => {
  const known = new Set([...AWS_GPU_INSTANCES, ...AWS_SYSTEM_INSTANCES].map((i) => i.id));

  it("prices only instance types the catalogs know", () => {
    for (const prices of Object.values(EC2_ON_DEMAND_USD_PER_HOUR)) {
      for (const [id, price] of Object.entries(prices)) {
        expect(known.has(id)).toBe(true);
        expect(price).toBeGreaterThan(0);
      }
    }
  });

  it("prices every catalog type with an on-demand offer in the regions the environments use", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      for (const id of known) {
        if (id === "p5e.48xlarge") expect(ec2PricePerHour(region, id)).toBeUndefined();
        else expect(ec2PricePerHour(region, id)).toBeGreaterThan(0);
      }
    }
    expect(ec2PricePerHour("eu-central-1", "g6.xlarge")).toBeUndefined();
  });

  it("prices a GPU instance above the one with half its GPUs in the same family", () => {
    expect(ec2PricePerHour("us-east-1", "g6.24xlarge")!).toBeGreaterThan(ec2PricePerHour("us-east-1", "g6.12xlarge")!);
    expect(ec2PricePerHour("us-east-1", "g6.48xlarge")!).toBeGreaterThan(ec2PricePerHour("us-east-1", "g6.24xlarge")!);
  });
});
