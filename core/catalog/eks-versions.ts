/**
 * Kubernetes versions Amazon EKS creates clusters on, checked 2026-11-26. A version is offered
 * for 14 months of standard support and then 12 of extended support, after which a cluster is
 * upgraded automatically ("Understand the Kubernetes version lifecycle on EKS",
 * docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html). Dates: endoflife.date/amazon-eks
 * (1.32–1.35, read 2026-11-26) and the EKS 1.36 release coverage (available 2026-06-02, standard
 * support to 2027-08-02; read 2026-11-26). 1.31 leaves extended support on 2026-11-26 and is not listed.
 *
 * Only an existing version is accepted; which one an environment pins is the environment's choice
 * (and core/pins.ts's for the shipped ones).
 */

export interface EksVersion {
  readonly version: string;
  /** First day EKS offered it. */
  readonly released: string;
  /** Last day of standard support. */
  readonly endOfStandardSupport: string;
}

/** Newest first. */
export const EKS_VERSIONS: readonly EksVersion[] = [
  { version: "1.36", released: "2026-06-02", endOfStandardSupport: "2027-08-02" },
  { version: "1.35", released: "2026-01-28", endOfStandardSupport: "2027-03-27" },
  { version: "1.34", released: "2025-10-06", endOfStandardSupport: "2026-12-02" },
  { version: "1.33", released: "2025-05-28", endOfStandardSupport: "2026-07-29" },
  { version: "1.32", released: "2025-01-25", endOfStandardSupport: "2026-03-23" },
];

/** When the list was last checked against the sources above. */
export const EKS_VERSIONS_CHECKED_ON = "2026-11-26";

export function findEksVersion(version: string): EksVersion | undefined {
  return EKS_VERSIONS.find((entry) => entry.version === version);
}
