/** The TLS check of doctor: trusted chain, host name, expiry, from what the handshake showed. */
import type { CheckResult } from "./doctor-report";

export interface TlsFacts {
  /** Node's verdict on the chain against the trusted CAs (system, or NODE_EXTRA_CA_CERTS). */
  authorized: boolean;
  /** e.g. CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  authorizationError?: string;
  /** Why the certificate does not name the host, when it does not. */
  hostnameError?: string;
  validFrom: Date;
  validTo: Date;
  /** Subjects from the server's certificate up to the last issuer sent or known. */
  chain: string[];
}

/** Fewer days left than this: warn, renewal is due. */
export const EXPIRY_WARN_DAYS = 14;

const DAY_MS = 86_400_000;

export function tlsVerdict(facts: TlsFacts, now: Date): CheckResult {
  const daysLeft = Math.floor((facts.validTo.getTime() - now.getTime()) / DAY_MS);
  const data = { chain: facts.chain, validFrom: facts.validFrom.toISOString(), validTo: facts.validTo.toISOString(), daysLeft };
  const chain = facts.chain.join(" ← ");
  if (facts.validTo.getTime() <= now.getTime()) {
    return {
      check: "tls",
      status: "fail",
      summary: `certificate expired on ${facts.validTo.toISOString().slice(0, 10)} (${chain}): renew it`,
      data,
    };
  }
  if (facts.validFrom.getTime() > now.getTime()) {
    return {
      check: "tls",
      status: "fail",
      summary: `certificate not valid before ${facts.validFrom.toISOString()}: check the server's clock or the certificate`,
      data,
    };
  }
  if (!facts.authorized) {
    return {
      check: "tls",
      status: "fail",
      summary: `certificate chain not trusted (${facts.authorizationError ?? "unknown reason"}; ${chain}): serve the full chain of a CA clients trust`,
      data,
    };
  }
  if (facts.hostnameError)
    return { check: "tls", status: "fail", summary: `certificate does not name the host: ${facts.hostnameError}`, data };
  if (daysLeft < EXPIRY_WARN_DAYS) {
    return {
      check: "tls",
      status: "warn",
      summary: `certificate expires in ${daysLeft} days (${facts.validTo.toISOString().slice(0, 10)}): renew it`,
      data,
    };
  }
  return {
    check: "tls",
    status: "pass",
    summary: `trusted chain ${chain}, valid until ${facts.validTo.toISOString().slice(0, 10)} (${daysLeft} days)`,
    data,
  };
}
