import { parseDocument, type Tags } from "yaml";
import { EnvironmentError, type ConfigIssue } from "../errors";

/** Far above any real environment (the shipped ones are ~2 KiB); a larger file is refused unread. */
export const MAX_ENVIRONMENT_BYTES = 256 * 1024;

/**
 * Aliases an environment may expand. Anchors are handy for a shared toleration list, but each alias
 * copies its anchor: a few nested ones (the "billion laughs" file) expand to gigabytes, so the
 * parser stops counting there (`maxAliasCount`, yaml 2.9.1's guard against exactly that).
 */
export const MAX_YAML_ALIASES = 50;

/**
 * YAML 1.2's core schema without the number forms nobody means in a config file: `0o11` (octal 9),
 * `0x1F`, `.inf` and `.nan` stay strings, so the schema reports them as the wrong type instead of
 * accepting a number the writer did not see. Decimal integers, decimals and exponents remain.
 */
function withoutSurprisingNumbers(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag === "string") return !["intOct", "intHex", "floatNaN"].includes(tag);
    const pattern = "test" in tag && tag.test instanceof RegExp ? tag.test.source : "";
    const octalOrHex = tag.tag === "tag:yaml.org,2002:int" && (tag.format === "OCT" || tag.format === "HEX");
    const infinityOrNan = tag.tag === "tag:yaml.org,2002:float" && /inf|nan/i.test(pattern);
    return !octalOrHex && !infinityOrNan;
  });
}

/** The file's YAML as plain data; a syntax error stops the pass with its line and column. */
export function readYaml(file: string, text: string): unknown {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new EnvironmentError([
      issue(
        file,
        `the file is ${Math.ceil(bytes / 1024)} KiB, more than the ${MAX_ENVIRONMENT_BYTES / 1024} KiB an environment may have`,
        "shorten it",
      ),
    ]);
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, customTags: withoutSurprisingNumbers });
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
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (and for an alias to nothing).
    throw new EnvironmentError([
      issue(
        file,
        `YAML aliases expand too much or point nowhere (${(error as Error).message})`,
        `write the values out, or use at most ${MAX_YAML_ALIASES} aliases`,
      ),
    ]);
  }
}

function issue(file: string, message: string, fix: string): ConfigIssue {
  return { file, field: "", message, fix };
}
