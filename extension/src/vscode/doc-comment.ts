/**
 * "AiCockpit: Generate Doc Comment": documents the symbol at the cursor (from the language's
 * document symbols, else the current line) in the language's own style, inserted as one edit.
 */
import * as vscode from "vscode";
import { buildDocCommentMessages, docCommentStyle, formatDocComment, leadingWhitespace } from "../core";
import { chatModelFor, chatWithProgress } from "./chat-request";
import type { Exclusions } from "./exclusions";
import type { Session } from "./session";

const DOCUMENTABLE = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Enum,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Property,
  vscode.SymbolKind.Field,
  vscode.SymbolKind.Variable,
  vscode.SymbolKind.Constant,
]);
const MAX_SYMBOL_CHARS = 6_000;
const SIGNATURE_SCAN_LINES = 12;

export async function generateDocCommentCommand(session: Session, exclusions: Exclusions): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return false;
  const document = editor.document;
  const chat = chatModelFor(session, exclusions, document);
  if (!chat) return false;
  const symbol = await symbolAt(document, editor.selection.active);
  const range = symbol?.range ?? document.lineAt(editor.selection.active.line).range;
  const style = docCommentStyle(document.languageId);
  const { position, indentation, newlineFirst } =
    style.placement === "inside" ? insideBody(document, range, editor.options) : above(document, range);
  const messages = buildDocCommentMessages({
    languageId: document.languageId,
    symbolText: document.getText(range).slice(0, MAX_SYMBOL_CHARS),
    symbolName: symbol?.name,
    filePath: exclusions.relativePath(document.uri),
  });
  const version = document.version;
  const reply = await chatWithProgress(session, {
    title: `AiCockpit: documenting ${symbol?.name ?? "this line"}…`,
    model: chat,
    messages,
    temperature: 0.1,
  });
  const comment = reply === undefined ? undefined : formatDocComment(reply, indentation);
  if (!comment) return false;
  if (document.version !== version) {
    void vscode.window.showWarningMessage("AiCockpit: the file changed while the comment was written; not inserted.");
    return false;
  }
  return editor.edit((builder) => builder.insert(position, newlineFirst ? `\n${comment.replace(/\n$/, "")}` : comment));
}

interface Placement {
  position: vscode.Position;
  indentation: string;
  newlineFirst?: boolean;
}

/** The innermost documentable symbol around the cursor. */
async function symbolAt(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentSymbol | undefined> {
  let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    symbols = await vscode.commands.executeCommand("vscode.executeDocumentSymbolProvider", document.uri);
  } catch {
    return undefined;
  }
  let found: vscode.DocumentSymbol | undefined;
  let level: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[] = symbols ?? [];
  for (;;) {
    const inner = level.find((s): s is vscode.DocumentSymbol => "range" in s && s.range.contains(position));
    if (!inner) return found;
    if (DOCUMENTABLE.has(inner.kind)) found = inner;
    level = inner.children;
  }
}

/** JSDoc-like styles: at the declaration's line start, with its indentation. */
function above(document: vscode.TextDocument, range: vscode.Range): Placement {
  const line = document.lineAt(range.start.line);
  return { position: line.range.start, indentation: leadingWhitespace(line.text) };
}

/** Docstrings: after the signature (the first line ending in `:`), one level deeper. */
function insideBody(document: vscode.TextDocument, range: vscode.Range, options: vscode.TextEditorOptions): Placement {
  const start = range.start.line;
  let signatureEnd = start;
  for (let l = start; l < Math.min(document.lineCount, start + SIGNATURE_SCAN_LINES); l++) {
    if (/:\s*(#.*)?$/.test(document.lineAt(l).text)) {
      signatureEnd = l;
      break;
    }
  }
  const unit = options.insertSpaces === false ? "\t" : " ".repeat(typeof options.tabSize === "number" ? options.tabSize : 4);
  const next = signatureEnd + 1 < document.lineCount ? document.lineAt(signatureEnd + 1).text : "";
  const declared = leadingWhitespace(document.lineAt(start).text);
  const body = leadingWhitespace(next);
  const indentation = next.trim() !== "" && body.length > declared.length ? body : declared + unit;
  // A signature on the last line: insert after it (the comment then starts on a new line).
  const atEnd = signatureEnd + 1 >= document.lineCount;
  return {
    position: atEnd ? document.lineAt(signatureEnd).range.end : new vscode.Position(signatureEnd + 1, 0),
    indentation,
    newlineFirst: atEnd,
  };
}
