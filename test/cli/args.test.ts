/** The CLI's flag parsing (cli/args.ts) and API-key reading (cli/ops/api-key.ts), called directly. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { numberArg, numberListArg, parseFlags, stringArg, UsageError } from "../../cli/args";
import { API_KEY_VARIABLE, apiKeyHint, readApiKey } from "../../cli/ops/api-key";
import { CommandError } from "../../cli/ops/command";

const OPTIONS = { env: { type: "string" }, json: { type: "boolean" }, concurrency: { type: "string" } } as const;

describe("parseFlags", () => {
  it("reads --flag value, --flag=value and switches", () => {
    expect(parseFlags(["--env", "dev", "--json", "--concurrency=1,4"], OPTIONS)).toEqual({ env: "dev", json: true, concurrency: "1,4" });
  });

  it("refuses an unknown flag and a stray argument, listing the known flags, as a usage error", () => {
    expect(() => parseFlags(["--evn", "dev"], OPTIONS)).toThrow(UsageError);
    expect(() => parseFlags(["--evn", "dev"], OPTIONS)).toThrow(/'--evn'.*\(known flags: --env, --json, --concurrency\)$/);
    const stray = (() => {
      try {
        parseFlags(["dev"], OPTIONS);
        return "no error";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(stray).toContain("dev");
    expect(stray).not.toContain("To specify a positional");
  });

  it("refuses a string flag with no value", () => {
    expect(() => parseFlags(["--env"], OPTIONS)).toThrow(/--env/);
  });
});

describe("numberArg", () => {
  it("reads a number, or undefined when absent", () => {
    expect(numberArg({ rate: "2.5" }, "rate")).toBe(2.5);
    expect(numberArg({}, "rate")).toBeUndefined();
    expect(numberArg({ port: "8080" }, "port", { integer: true })).toBe(8080);
  });

  it.each([["abc"], [""], [" "], ["Infinity"], ["1e400"]])("refuses %j", (raw) => {
    expect(() => numberArg({ rate: raw }, "rate")).toThrow(`--rate must be a number, got "${raw}"`);
  });

  it("refuses a fraction where a whole number is wanted, and a switch", () => {
    expect(() => numberArg({ port: "80.5" }, "port", { integer: true })).toThrow('--port must be a whole number, got "80.5"');
    expect(() => numberArg({ port: true }, "port")).toThrow(UsageError);
  });
});

describe("numberListArg", () => {
  it("reads a comma-separated list, spaces allowed", () => {
    expect(numberListArg({ concurrency: "1, 4,16" }, "concurrency", { integer: true })).toEqual([1, 4, 16]);
    expect(numberListArg({ rate: "0.5,2" }, "rate")).toEqual([0.5, 2]);
    expect(numberListArg({}, "rate")).toBeUndefined();
  });

  it.each([["1,,4"], ["0,4"], ["-1"], ["1,x"], [""], ["1.5"]])("refuses %j as whole numbers above 0", (raw) => {
    expect(() => numberListArg({ concurrency: raw }, "concurrency", { integer: true })).toThrow(
      `--concurrency must be a comma-separated list of whole numbers above 0, e.g. 1,4,16; got "${raw}"`,
    );
  });
});

describe("stringArg", () => {
  it("returns a string value and nothing for a switch or an absent flag", () => {
    expect(stringArg({ env: "dev" }, "env")).toBe("dev");
    expect(stringArg({ json: true }, "json")).toBeUndefined();
    expect(stringArg({}, "env")).toBeUndefined();
  });
});

describe("readApiKey", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-key-"));
  const saved = process.env[API_KEY_VARIABLE];
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[API_KEY_VARIABLE];
    else process.env[API_KEY_VARIABLE] = saved;
  });

  it("reads a key file, trimmed, before the environment variable", () => {
    const file = path.join(dir, "key");
    fs.writeFileSync(file, "  sk-from-file\n");
    process.env[API_KEY_VARIABLE] = "sk-from-env";
    expect(readApiKey(file)).toBe("sk-from-file");
    expect(readApiKey(undefined)).toBe("sk-from-env");
  });

  it("gives nothing for an unset or blank variable", () => {
    delete process.env[API_KEY_VARIABLE];
    expect(readApiKey(undefined)).toBeUndefined();
    process.env[API_KEY_VARIABLE] = "   ";
    expect(readApiKey(undefined)).toBeUndefined();
  });

  it("names a missing or empty key file in a command error, never its content", () => {
    expect(() => readApiKey(path.join(dir, "absent"))).toThrow(
      new CommandError(`cannot read the API key file ${path.join(dir, "absent")} (ENOENT)`),
    );
    const empty = path.join(dir, "empty");
    fs.writeFileSync(empty, "\n");
    expect(() => readApiKey(empty)).toThrow(`the API key file ${empty} is empty`);
  });
});

describe("apiKeyHint", () => {
  it("points at the Secret for a cluster and at the key file for a Docker host", () => {
    expect(apiKeyHint("coders/aicockpit-api-key")).toBe(
      `export ${API_KEY_VARIABLE}="$(kubectl -n coders get secret aicockpit-api-key -o jsonpath='{.data.api-key}' | base64 -d)"`,
    );
    expect(apiKeyHint("file:/etc/aicockpit/api-key")).toBe(
      `export ${API_KEY_VARIABLE}="$(cat /etc/aicockpit/api-key)" (the key file on the Docker host), or --api-key-file /etc/aicockpit/api-key`,
    );
  });
});
