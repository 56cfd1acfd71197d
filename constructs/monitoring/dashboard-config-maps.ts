import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Construct } from "constructs";
import type { DashboardFile } from "../../monitoring/dashboards";
import { GRAFANA_DASHBOARD_LABEL } from "../../monitoring/helm-values";

export interface DashboardConfigMapsProps {
  /** Namespace of the ConfigMaps: the monitoring namespace, where Grafana's sidecar looks. */
  readonly namespace: string;
  /** The dashboard files, one ConfigMap each. */
  readonly dashboards: readonly DashboardFile[];
}

/** One ConfigMap per dashboard file, labelled for Grafana's sidecar, which loads them live. */
export class DashboardConfigMaps extends Construct {
  constructor(scope: Construct, id: string, props: DashboardConfigMapsProps) {
    super(scope, id);
    for (const file of props.dashboards) {
      const name = file.fileName.replace(/\.json$/, "");
      new ConfigMapV1(this, name, {
        metadata: {
          name: `aicockpit-dashboard-${name}`,
          namespace: props.namespace,
          labels: { ...GRAFANA_DASHBOARD_LABEL, "app.kubernetes.io/part-of": "aicockpit" },
        },
        data: { [file.fileName]: file.json },
      });
    }
  }
}
