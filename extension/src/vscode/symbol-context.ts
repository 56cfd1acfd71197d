/**
 * Definitions and type signatures of the symbols near the cursor, from whatever language server
 * the document has, through VS Code's built-in commands (code.visualstudio.com/api/references/commands,
 * read 2026-11-26): `vscode.executeDefinitionProvider` (Location or LocationLink[]),
 * `vscode.executeDocumentSymbolProvider` (DocumentSymbol or SymbolInformation[]) to widen a
 * definition to its whole declaration, and `vscode.executeHoverProvider` (Hover[]) for symbols
 * defined outside the workspace. Results are cached per document and name; a lookup runs in the
 * background and a completion waits for it only within a strict time budget, else it goes with
 * what is cached (or with today's context, the heads of imported files).
 */
import * as vscode from "vscode";
import { definitionHead, hoverSignature, identifiersNearCursor, LruCache, type NearIdentifier, type SymbolSnippet } from "../core";
import type { Exclusions } from "./exclusions";

/** Symbols looked up per completion, nearest first. */
const MAX_SYMBOLS = 6;
/** A cached definition is used this long before it is looked up again. */
const CACHE_MS = 30_000;

interface Cached {
  snippet: SymbolSnippet | undefined;
  at: number;
}

export class SymbolContext {
  private readonly cache = new LruCache<string, Cached>(500);
  private readonly running = new Map<string, Promise<void>>();
  /** Lookups answered and how long the language server took (for the log). */
  readonly stats = { lookups: 0, totalMs: 0 };

  constructor(private readonly exclusions: Exclusions) {}

  /**
   * Starts lookups for the symbols near `offset` that are not cached (at once, so they run
   * during the debounce) and returns a function that resolves the definitions known by then,
   * waiting at most `budgetMs` for running lookups. Undefined: nothing worth looking up.
   */
  prepare(document: vscode.TextDocument, text: string, offset: number): ((budgetMs: number) => Promise<SymbolSnippet[]>) | undefined {
    const near = identifiersNearCursor(text, offset, MAX_SYMBOLS);
    if (near.length === 0) return undefined;
    const now = Date.now();
    const pending: Promise<void>[] = [];
    for (const identifier of near) {
      const key = this.key(document, identifier.name);
      const cached = this.cache.get(key);
      if (cached && now - cached.at < CACHE_MS) continue;
      pending.push(this.running.get(key) ?? this.start(document, identifier, key));
    }
    return async (budgetMs) => {
      if (pending.length > 0 && budgetMs > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([Promise.all(pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
        clearTimeout(timer);
      }
      return near.map((n) => this.cache.get(this.key(document, n.name))?.snippet).filter((s): s is SymbolSnippet => s !== undefined);
    };
  }

  private key(document: vscode.TextDocument, name: string): string {
    return `${document.uri.toString()}\u0000${name}`;
  }

  private start(document: vscode.TextDocument, identifier: NearIdentifier, key: string): Promise<void> {
    const started = Date.now();
    const run = this.lookup(document, identifier)
      .catch(() => undefined)
      .then((snippet) => {
        this.cache.set(key, { snippet, at: Date.now() });
        this.stats.lookups++;
        this.stats.totalMs += Date.now() - started;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /** The definition of one identifier, or undefined (none, in this document, or excluded). */
  private async lookup(document: vscode.TextDocument, identifier: NearIdentifier): Promise<SymbolSnippet | undefined> {
    const position = document.positionAt(identifier.offset);
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(
      "vscode.executeDefinitionProvider",
      document.uri,
      position,
    );
    const first = found?.[0];
    if (!first) return undefined;
    const uri = "targetUri" in first ? first.targetUri : first.uri;
    const range = "targetUri" in first ? first.targetRange : first.range;
    // Already in the prompt's window or not: the current file is the prompt itself.
    if (uri.toString() === document.uri.toString()) return undefined;
    if (this.exclusions.isExcluded(uri)) return undefined;
    if (!vscode.workspace.getWorkspaceFolder(uri)) return this.hover(document, position, identifier.name);
    const target = await vscode.workspace.openTextDocument(uri);
    const whole = await this.declarationRange(target, range);
    const text = definitionHead(target.getText(whole));
    if (text.trim() === "") return undefined;
    return { path: this.exclusions.relativePath(uri), languageId: target.languageId, name: identifier.name, text };
  }

  /** The smallest document symbol that contains `range` (a Location names only the identifier). */
  private async declarationRange(target: vscode.TextDocument, range: vscode.Range): Promise<vscode.Range> {
    if (range.end.line > range.start.line) return range;
    const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
      "vscode.executeDocumentSymbolProvider",
      target.uri,
    );
    let best: vscode.Range | undefined;
    const visit = (list: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): void => {
      for (const symbol of list) {
        const r = "location" in symbol ? symbol.location.range : symbol.range;
        if (r.contains(range) && (!best || best.contains(r))) best = r;
        if ("children" in symbol) visit(symbol.children);
      }
    };
    visit(symbols ?? []);
    return best ?? new vscode.Range(range.start.line, 0, Math.min(target.lineCount - 1, range.start.line + 10), 0);
  }

  /** A symbol defined outside the workspace (a library): its signature from the hover. */
  private async hover(document: vscode.TextDocument, position: vscode.Position, name: string): Promise<SymbolSnippet | undefined> {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[] | undefined>("vscode.executeHoverProvider", document.uri, position);
    const markdown = (hovers ?? [])
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === "string" ? c : "value" in c ? c.value : ""))
      .join("\n");
    const text = definitionHead(hoverSignature(markdown));
    return text ? { path: name, languageId: document.languageId, name, text } : undefined;
  }
}
