/** BASE_ENVIRONMENT (2 nodes × 4 L40S, one 1-GPU completion model) varied for the autoscaling suites. */
import { parse, stringify } from "yaml";
import { BASE_ENVIRONMENT } from "../helpers/synth";

/** A parsed environment document, changed field by field. */
export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** BASE_ENVIRONMENT with `change` applied. */
export function yaml(change: (doc: Doc) => void): string {
  const doc = parse(BASE_ENVIRONMENT) as Doc;
  change(doc);
  return stringify(doc);
}

/** BASE_ENVIRONMENT with the model's `autoscaling` section, then `more`. */
export const autoscaled = (autoscaling: Doc, more: (doc: Doc) => void = () => undefined) =>
  yaml((doc) => {
    doc.models[0].autoscaling = autoscaling;
    more(doc);
  });
