import type { Checked } from "./checked";

/** What a target's checks give the rest of the pass. */
export interface TargetCheck<Config> {
  /** The config narrowed to the target, or what the target refuses. */
  config: Checked<Config>;
  /** Indexes of models whose plan would only repeat a problem reported here. */
  skipPlanning: ReadonlySet<number>;
}
