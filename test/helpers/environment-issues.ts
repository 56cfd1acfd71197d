/** What the loader says of an environment file, for tests that expect it refused. */
import { EnvironmentError, type ConfigIssue } from "../../core/errors";
import { parseEnvironment } from "../../core/load-environment";

/** The issues `yaml` (as environments/test.yaml) is refused with; [] if it loads. Any other error fails the test. */
export function issuesOf(yaml: string): ConfigIssue[] {
  try {
    parseEnvironment("test", "environments/test.yaml", yaml);
    return [];
  } catch (error) {
    if (error instanceof EnvironmentError) return error.issues;
    throw error;
  }
}
