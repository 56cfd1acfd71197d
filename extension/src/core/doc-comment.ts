/**
 * Documentation comment for the symbol at the cursor, in the language's own convention, and
 * where it goes: above the declaration, or inside the body (Python docstrings).
 */
import { type ChatMessage, fencedCode } from "./chat-prompts";
import { codeFromReply } from "./code-blocks";
import { leadingWhitespace } from "./mode";

/** A language's documentation convention. */
export interface DocStyle {
  name: string;
  /** `above`: lines before the declaration; `inside`: first statement of the body. */
  placement: "above" | "inside";
  example: string;
}

const JSDOC: DocStyle = {
  name: "JSDoc",
  placement: "above",
  example: "/**\n * Sums two numbers.\n * @param a first addend\n * @returns the sum\n */",
};
const JAVADOC: DocStyle = {
  name: "Javadoc",
  placement: "above",
  example: "/**\n * Sums two numbers.\n *\n * @param a first addend\n * @return the sum\n */",
};
const DOXYGEN: DocStyle = {
  name: "Doxygen",
  placement: "above",
  example: "/**\n * @brief Sums two numbers.\n * @param a first addend\n * @return the sum\n */",
};

const STYLES: Record<string, DocStyle> = {
  typescript: JSDOC,
  typescriptreact: JSDOC,
  javascript: JSDOC,
  javascriptreact: JSDOC,
  java: JAVADOC,
  kotlin: { name: "KDoc", placement: "above", example: "/**\n * Sums two numbers.\n * @param a first addend\n * @return the sum\n */" },
  scala: { name: "Scaladoc", placement: "above", example: "/** Sums two numbers.\n  * @param a first addend\n  * @return the sum\n  */" },
  python: {
    name: "docstring (PEP 257)",
    placement: "inside",
    example: '"""Sum two numbers.\n\nArgs:\n    a: first addend.\n\nReturns:\n    The sum.\n"""',
  },
  rust: {
    name: "rustdoc",
    placement: "above",
    example: "/// Sums two numbers.\n///\n/// # Examples\n/// ```\n/// assert_eq!(add(1, 2), 3);\n/// ```",
  },
  go: { name: "GoDoc", placement: "above", example: "// Add returns the sum of a and b." },
  csharp: {
    name: "XML doc comments",
    placement: "above",
    example: '/// <summary>Sums two numbers.</summary>\n/// <param name="a">First addend.</param>\n/// <returns>The sum.</returns>',
  },
  c: DOXYGEN,
  cpp: DOXYGEN,
  php: {
    name: "PHPDoc",
    placement: "above",
    example: "/**\n * Sums two numbers.\n * @param int $a first addend\n * @return int the sum\n */",
  },
  ruby: {
    name: "YARD",
    placement: "above",
    example: "# Sums two numbers.\n# @param a [Integer] first addend\n# @return [Integer] the sum",
  },
  swift: {
    name: "Swift Markup",
    placement: "above",
    example: "/// Sums two numbers.\n/// - Parameter a: first addend\n/// - Returns: the sum",
  },
  elixir: { name: "@doc", placement: "above", example: '@doc """\nSums two numbers.\n"""' },
  shellscript: { name: "shell comment", placement: "above", example: "# Sums two numbers.\n# Arguments: $1 first addend" },
  lua: { name: "LDoc", placement: "above", example: "--- Sums two numbers.\n-- @param a first addend\n-- @return the sum" },
};

/** The convention for a VS Code language id (JSDoc-like block comment when unknown). */
export function docCommentStyle(languageId: string): DocStyle {
  return STYLES[languageId] ?? { name: "block comment", placement: "above", example: "/**\n * Sums two numbers.\n */" };
}

/** Inputs for {@link buildDocCommentMessages}. */
export interface DocCommentRequest {
  languageId: string;
  /** The declaration and body of the symbol (or its first lines). */
  symbolText: string;
  symbolName?: string;
  filePath?: string;
}

/** Messages asking for the documentation comment only. */
export function buildDocCommentMessages(request: DocCommentRequest): ChatMessage[] {
  const style = docCommentStyle(request.languageId);
  const what = request.symbolName ? `\`${request.symbolName}\`` : "the symbol below";
  return [
    {
      role: "system",
      content:
        `You write documentation comments. Use ${style.name} style, like:\n${style.example}\n` +
        "Describe purpose, parameters, return value and errors thrown when there are any. " +
        "Reply with only the comment in one fenced code block, without the code it documents and without indentation.",
    },
    {
      role: "user",
      content: fencedCode(
        request.symbolText,
        request.languageId,
        `Document ${what}${request.filePath ? ` from ${request.filePath}` : ""}:`,
      ),
    },
  ];
}

/**
 * The comment from the reply, indented for insertion. For `above`, pass the declaration line's
 * indentation; for `inside`, the body's. Ends with a newline.
 */
export function formatDocComment(reply: string, indentation: string): string | undefined {
  const code = codeFromReply(reply).replace(/\s+$/, "");
  if (code.trim() === "") return undefined;
  const lines = code.split("\n");
  const common = lines
    .filter((l) => l.trim() !== "")
    .reduce((min, l) => Math.min(min, leadingWhitespace(l).length), Number.POSITIVE_INFINITY);
  return `${lines.map((l) => (l.trim() === "" ? "" : indentation + l.slice(common))).join("\n")}\n`;
}
