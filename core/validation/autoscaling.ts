/**
 * The autoscaling rules that need more than one field: autoscaling replaces `replicas`, reads
 * the environment's Prometheus, runs on Kubernetes, and idles at zero only where waiting minutes is
 * acceptable. The pool's room for `maxReplicas` is the capacity stage's (pool-capacity.ts).
 */
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import { arrayAt, isSet, objectAt } from "./raw-fields";

/** Rules on the file as written (after the schema): what `replicas` and the environment section mean next to `autoscaling`. */
export function autoscalingIssues(file: string, raw: unknown, config: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const rawModels = arrayAt(raw, "models");
  const autoscaled = config.models.flatMap((model, index) => (model.autoscaling ? [{ model, index }] : []));
  for (const { model, index } of autoscaled) {
    const at = `models[${index}]`;
    if (isSet(rawModels[index], ["replicas"])) {
      issues.push({
        file,
        field: `${at}.replicas`,
        message: `${model.servedName} has both replicas and autoscaling; autoscaling replaces replicas (KEDA sets the count between minReplicas and maxReplicas)`,
        fix: "remove replicas, or remove autoscaling to run a fixed count",
      });
    }
    if (model.autoscaling && model.autoscaling.maxReplicas === 1 && !model.autoscaling.scaleToZero) {
      issues.push({
        file,
        field: `${at}.autoscaling.maxReplicas`,
        message: `has no effect: with maxReplicas 1 and no scaleToZero, ${model.servedName} always runs exactly one replica`,
        fix: "raise maxReplicas above 1, set scaleToZero: true (chat models), or remove autoscaling",
      });
    }
    if (model.autoscaling?.scaleToZero && model.role !== "chat") {
      issues.push({
        file,
        field: `${at}.autoscaling.scaleToZero`,
        message: `${model.servedName} serves inline completions (role "${model.role}"), which cannot wait for a replica to start from zero (minutes: the weights load first)`,
        fix: "remove scaleToZero (minReplicas keeps replicas warm), or serve completions from another model and use role: chat here",
      });
    }
    if (config.target.kind === "docker") {
      issues.push({
        file,
        field: `${at}.autoscaling`,
        message: "a docker target runs one container per model; there is no cluster to scale replicas on",
        fix: "remove autoscaling",
      });
    } else if (!config.monitoring.enabled) {
      issues.push({
        file,
        field: `${at}.autoscaling`,
        message: "autoscaling reads the model's queue depth from the environment's Prometheus, and monitoring.enabled is false",
        fix: "set monitoring.enabled: true, or remove autoscaling",
      });
    }
  }
  if (autoscaled.length === 0 && objectAt(raw, "autoscaling")) {
    issues.push({
      file,
      field: "autoscaling",
      message: "has no effect: no model has autoscaling, so the kit neither installs nor uses KEDA",
      fix: "remove autoscaling, or give a model an autoscaling section",
    });
  } else if (config.autoscaling.keda === "install" && autoscaled.length > 0) {
    const { kedaNamespace } = config.autoscaling;
    const taken =
      kedaNamespace === config.namespace
        ? "the serving namespace"
        : kedaNamespace === config.monitoring.namespace
          ? "the monitoring namespace"
          : undefined;
    if (taken) {
      issues.push({
        file,
        field: "autoscaling.kedaNamespace",
        message: `${kedaNamespace} is ${taken}; the kit creates KEDA's namespace with policies of its own`,
        fix: "give KEDA its own namespace, e.g. kedaNamespace: keda",
      });
    }
  }
  if (autoscaled.length > 0 && config.autoscaling.keda === "existing" && config.target.kind !== "kubernetes") {
    issues.push({
      file,
      field: "autoscaling.keda",
      message: `KEDA cannot already run on the ${config.target.kind} target: the kit builds the cluster`,
      fix: "set autoscaling.keda: install (or remove it)",
    });
  }
  return issues;
}
