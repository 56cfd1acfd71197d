/** Allow-lists analysed as sets of addresses (core/cidr.ts). */
import { admitsEveryone, parseCidr, parsedBlocks, reachesPublicAddresses } from "../../core/cidr";

const blocks = (...cidrs: string[]) => {
  for (const cidr of cidrs) expect(parseCidr(cidr).ok).toBe(true);
  return parsedBlocks(cidrs);
};

describe("parsing a CIDR", () => {
  it("reads the block as the address range it covers", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ ok: true, block: { text: "10.0.0.0/8", first: 10 * 2 ** 24, end: 11 * 2 ** 24, prefix: 8 } });
    expect(parseCidr("203.0.113.7/32")).toMatchObject({ ok: true, block: { end: expect.any(Number) } });
  });

  it("refuses host bits set past the prefix, naming the block meant", () => {
    expect(parseCidr("10.0.0.1/8")).toEqual({ ok: false, problem: "host bits are set: the /8 block holding 10.0.0.1 is 10.0.0.0/8" });
    expect(parseCidr("1.2.3.4/0")).toEqual({ ok: false, problem: "host bits are set: the /0 block holding 1.2.3.4 is 0.0.0.0/0" });
  });

  it.each(["10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "256.0.0.0/8", "10.0.0.0/08", "10.0.0.0", "::/0", " 10.0.0.0/8"])(
    "refuses %j",
    (text) => {
      expect(parseCidr(text).ok).toBe(false);
    },
  );
});

describe("a set that admits everyone", () => {
  it.each([[["0.0.0.0/0"]], [["0.0.0.0/1", "128.0.0.0/1"]], [["128.0.0.0/1", "0.0.0.0/2", "64.0.0.0/2", "10.0.0.0/8"]]])("%j", (cidrs) => {
    expect(admitsEveryone(blocks(...cidrs))).toBe(true);
  });

  it.each([[["0.0.0.0/1"]], [["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3"]], [["10.0.0.0/8"]], [[]]])("not %j", (cidrs) => {
    expect(admitsEveryone(blocks(...cidrs))).toBe(false);
  });
});

describe("a set that reaches public addresses", () => {
  it("does not for private, shared, loopback and link-local ranges, however they are split", () => {
    expect(
      reachesPublicAddresses(blocks("10.0.0.0/8", "172.16.0.0/12", "192.168.1.0/24", "100.64.0.0/10", "127.0.0.1/32", "169.254.0.0/16")),
    ).toBe(false);
    expect(reachesPublicAddresses(blocks("172.16.0.0/13", "172.24.0.0/13"))).toBe(false);
  });

  it("does as soon as one address is public", () => {
    expect(reachesPublicAddresses(blocks("10.0.0.0/8", "203.0.113.9/32"))).toBe(true);
    expect(reachesPublicAddresses(blocks("172.0.0.0/11"))).toBe(true); // 172.16/12 plus the public 172.0/12
    expect(reachesPublicAddresses(blocks("0.0.0.0/0"))).toBe(true);
  });
});
