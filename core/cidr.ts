/**
 * IPv4 CIDR blocks and sets of them, analysed as sets of addresses: an allow-list is "open"
 * when its union admits every address, however it is written (`0.0.0.0/0`, `1.2.3.4/0`,
 * `0.0.0.0/1` + `128.0.0.0/1`, …), and "public" when any address it admits is globally
 * routable. One module, so every allow-list in the schema is judged the same way.
 */

const ADDRESSES = 2 ** 32;

/** A CIDR block as the half-open address range [first, end). */
export interface CidrBlock {
  /** As written in the file. */
  readonly text: string;
  readonly first: number;
  readonly end: number;
  readonly prefix: number;
}

export type ParsedCidr = { ok: true; block: CidrBlock } | { ok: false; problem: string };

const OCTET = /^(0|[1-9]\d{0,2})$/;

/**
 * Parses `a.b.c.d/n` strictly: four decimal octets without leading zeros (`010` is octal to some
 * parsers), a prefix length 0 to 32, and no address bits set past the prefix (`10.0.0.1/8` most
 * likely means `10.0.0.0/8`, or a /32 the writer forgot; either way it is not what it says).
 */
export function parseCidr(text: string): ParsedCidr {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return { ok: false, problem: "not an IPv4 CIDR such as 203.0.113.0/24" };
  const octets = match[1].split(".");
  const prefix = Number(match[2]);
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o) && Number(o) <= 255) || prefix > 32 || match[2] !== String(prefix)) {
    return { ok: false, problem: "not an IPv4 CIDR such as 203.0.113.0/24" };
  }
  const address = octets.reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  const first = address - (address % size);
  if (first !== address) {
    return { ok: false, problem: `host bits are set: the /${prefix} block holding ${match[1]} is ${formatAddress(first)}/${prefix}` };
  }
  return { ok: true, block: { text, first, end: first + size, prefix } };
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** The blocks merged into disjoint, sorted address ranges. */
function union(blocks: readonly CidrBlock[]): [number, number][] {
  const sorted = [...blocks].sort((a, b) => a.first - b.first);
  const merged: [number, number][] = [];
  for (const { first, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last && first <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([first, end]);
  }
  return merged;
}

/** True when the blocks together admit every IPv4 address. */
export function admitsEveryone(blocks: readonly CidrBlock[]): boolean {
  const merged = union(blocks);
  return merged.length === 1 && merged[0][0] === 0 && merged[0][1] === ADDRESSES;
}

/**
 * Ranges that are not routed on the public internet (IANA IPv4 Special-Purpose Address
 * Registry, read 2026-11-26): private use (RFC 1918), shared address space for carrier-grade
 * NAT (RFC 6598), loopback and link-local.
 */
export const NON_PUBLIC_RANGES = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
] as const;

const NON_PUBLIC_BLOCKS = NON_PUBLIC_RANGES.map((text) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`bad built-in range ${text}`);
  return parsed.block;
});

/** True when some address the blocks admit lies outside every non-public range. */
export function reachesPublicAddresses(blocks: readonly CidrBlock[]): boolean {
  const privateRanges = union(NON_PUBLIC_BLOCKS);
  return union(blocks).some(([first, end]) => {
    // The range is non-public only if the non-public ranges cover it entirely.
    let covered = first;
    for (const [from, to] of privateRanges) {
      if (from <= covered && to > covered) covered = to;
      if (covered >= end) return false;
    }
    return covered < end;
  });
}

/** The valid blocks of a list of CIDR strings (invalid ones are reported by the schema). */
export function parsedBlocks(texts: readonly string[]): CidrBlock[] {
  return texts.flatMap((text) => {
    const parsed = parseCidr(text);
    return parsed.ok ? [parsed.block] : [];
  });
}
