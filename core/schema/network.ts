/** Addresses, host names and allow-lists as environment fields, judged by one CIDR module (core/cidr.ts). */
import { z } from "zod";
import { parseCidr } from "../cidr";

/** A DNS name: labels of letters, digits and '-', at most 253 characters (RFC 1123). */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isDnsName(host: string): boolean {
  return DNS_NAME.test(host);
}

/** A DNS host name such as code-ai.example.com (no scheme, port or path). */
export function dnsName(error: string) {
  return z.string().refine(isDnsName, { error });
}

/** A host name or an IPv4 address, as clients write it in a URL. */
export const hostAddress = z.string().refine((host) => isDnsName(host) || IPV4.test(host), {
  error: "expected a DNS name or an IPv4 address such as gpu-box.lan or 192.168.1.20 (no scheme, port or path)",
});

/** An IPv4 address such as 127.0.0.1. */
export const ipv4Address = z.string().regex(IPV4, { error: "expected an IPv4 address such as 127.0.0.1" });

/**
 * A list of IPv4 CIDR blocks. Each must be what it says: a block with host bits set
 * (`10.0.0.1/8`) is refused rather than silently widened.
 */
export function cidrList(notCidrError: string, emptyError?: string) {
  return z
    .array(
      z.cidrv4({ error: notCidrError }).superRefine((cidr, ctx) => {
        const parsed = parseCidr(cidr);
        // Not a CIDR at all is z.cidrv4's to report; what remains is a block with host bits set.
        if (!parsed.ok && z.cidrv4().safeParse(cidr).success)
          ctx.addIssue({
            code: "custom",
            message: parsed.problem,
            params: { fix: "write the block's first address, or a /32 for one host" },
          });
      }),
    )
    .min(1, emptyError === undefined ? undefined : { error: emptyError });
}

/**
 * The second word for access that admits everyone or goes unauthenticated: without it such an
 * exposure is refused, with it synth warns. The reason is free text kept in the file for reviewers.
 */
export const acknowledgePublicAccess = z
  .string()
  .min(10, { error: "say in a few words why this must be reachable by everyone (at least 10 characters)" })
  .max(300)
  .optional()
  .meta({
    description:
      "Set only when this is meant to be open to everyone (an allow-list that admits every address, plain HTTP beyond private ranges, or no authentication): the reason, for reviewers. Synth refuses such access without it, warns with it, and refuses it where nothing is open.",
    examples: ["public demo endpoint, rate-limited upstream by the CDN"],
  });
