/**
 * Self-signed TLS: the client trusts a CA file given to it, and only that client does.
 * Certificates are made at test time with the openssl CLI (Debian's openssl package,
 * a dependency of ca-certificates).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { BackendClient } from "../../src/client/backend-client";

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function makeCertificates(dir: string): { caPem: string; certPem: string; keyPem: string } {
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=AiCockpit Test CA",
  ]);
  run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  writeFileSync(path.join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
  run([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  ]);
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return { caPem: read("ca.pem"), certPem: read("server.pem"), keyPem: read("server.key") };
}

(hasOpenssl ? describe : describe.skip)("custom CA file", () => {
  let dir: string;
  let server: https.Server;
  let baseUrl: string;
  let caPem: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "aicockpit-ca-"));
    const certs = makeCertificates(dir);
    caPem = certs.caPem;
    server = https.createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
      const ok = req.url === "/v1/models";
      res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
      res.end(ok ? JSON.stringify({ object: "list", data: [{ id: "m", object: "model", owned_by: "vllm", max_model_len: 4096 }] }) : "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("connects to a server whose certificate that CA signed", async () => {
    const client = new BackendClient({ baseUrl, timeoutMs: 3000, caPem });
    await expect(client.listModels()).resolves.toEqual([{ id: "m", maxModelLen: 4096 }]);
  });

  it("refuses the same server without the CA (verification stays on)", async () => {
    const probe = await new BackendClient({ baseUrl, timeoutMs: 3000 }).probe();
    expect(probe.result.ok).toBe(false);
    await expect(new BackendClient({ baseUrl, timeoutMs: 3000 }).listModels()).rejects.toMatchObject({ kind: "unreachable" });
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });
});
