import { parseDocument } from "yaml";
import { EnvironmentError } from "../errors";

/** The file's YAML as plain data; a syntax error stops the pass with its line and column. */
export function readYaml(file: string, text: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new EnvironmentError(
      document.errors.map((error) => ({
        file: error.linePos ? `${file}:${error.linePos[0].line}:${error.linePos[0].col}` : file,
        field: "",
        message: `YAML syntax error: ${error.message.split("\n")[0]}`,
        fix: "correct the YAML syntax (indentation, quotes, a ':' after each key)",
      })),
    );
  }
  return document.toJS() ?? {};
}
