import { parseEnvironment } from "../../core/load-environment";

describe("model cache access mode", () => {
  const yaml = (accessMode: string) => `
target: { kind: kubernetes, context: lab }
image: { tag: v0.29.0 }
gpuPools: [{ name: gpu, gpu: L4, gpusPerNode: 2, nodes: 1 }]
models: [{ servedName: coder, model: qwen2.5-coder-1.5b-instruct, role: both, pool: gpu, replicas: 2 }]
modelCache: { accessMode: ${accessMode}, storageClass: nfs-client }
`;

  it("warns when replicas share a ReadWriteOnce cache", () => {
    const environment = parseEnvironment("rwo", "rwo.yaml", yaml("ReadWriteOnce"));
    expect(environment.warnings).toEqual([expect.stringMatching(/^models\[0\] \(coder\): 2 replicas share a ReadWriteOnce cache/)]);
  });

  it("does not warn with ReadWriteMany", () => {
    expect(parseEnvironment("rwx", "rwx.yaml", yaml("ReadWriteMany")).warnings).toEqual([]);
  });

  it("refuses ReadWriteMany without a storage class, which would leave the claim Pending", () => {
    const noClass = yaml("ReadWriteMany").replace(", storageClass: nfs-client", "");
    expect(() => parseEnvironment("rwx", "rwx.yaml", noClass)).toThrow(/modelCache\.storageClass[\s\S]*stay Pending/);
  });
});
