/**
 * Accumulates streamed completion text and says when to stop early, so the caller can abort
 * the HTTP request instead of paying for tokens that post-processing would throw away.
 */
import { type CompletionMode, leadingWhitespace } from "./mode";

/** Options for {@link CompletionStreamAccumulator}. */
export interface StreamOptions {
  mode: CompletionMode;
  /** Text of the cursor's line before the cursor. */
  linePrefix: string;
  /** Tab width used to compare indentation of tab- and space-indented lines. */
  tabSize?: number;
}

const CLOSER = /^[)\]}]|^end\b|^(?:<\/)/;

/** Indentation width, counting a tab as `tabSize` columns. */
export function indentWidth(whitespace: string, tabSize = 4): number {
  let width = 0;
  for (let i = 0; i < whitespace.length; i++) width += whitespace.charCodeAt(i) === 9 ? tabSize - (width % tabSize) : 1;
  return width;
}

/**
 * Feed deltas with {@link push}; when it returns true, abort the request. {@link text} is the
 * completion cut at the stop point. Call {@link finish} when the stream ends by itself.
 */
export class CompletionStreamAccumulator {
  private buffer = "";
  private cut = -1;
  /** Index in `buffer` of the first line not yet judged. */
  private lineStart = 0;
  private lineIndex = 0;
  private sawBlankLine = false;
  private readonly baseIndent: number;
  private readonly afterOpener: boolean;
  private readonly tabSize: number;

  constructor(private readonly options: StreamOptions) {
    this.tabSize = options.tabSize ?? 4;
    const indent = leadingWhitespace(options.linePrefix);
    this.afterOpener = options.linePrefix.trim() !== "";
    this.baseIndent = indentWidth(indent, this.tabSize);
  }

  /** True once the completion is complete (stop reached). */
  get stopped(): boolean {
    return this.cut !== -1;
  }

  /** The completion so far, cut at the stop point once stopped. */
  get text(): string {
    return this.cut === -1 ? this.buffer : this.buffer.slice(0, this.cut);
  }

  /** Adds a delta; returns true when the completion is complete and the request can be aborted. */
  push(delta: string): boolean {
    if (this.cut !== -1) return true;
    this.buffer += delta;
    let nl = this.buffer.indexOf("\n", this.lineStart);
    while (nl !== -1 && this.cut === -1) {
      this.judgeLine(this.lineStart, nl);
      this.lineStart = nl + 1;
      nl = this.buffer.indexOf("\n", this.lineStart);
    }
    return this.cut !== -1;
  }

  /** The stream ended: judges the unterminated last line and returns the final text. */
  finish(): string {
    if (this.cut === -1 && this.lineStart < this.buffer.length) this.judgeLine(this.lineStart, this.buffer.length);
    return this.text;
  }

  private judgeLine(start: number, end: number): void {
    const index = this.lineIndex++;
    if (this.options.mode === "single-line") {
      this.cut = end;
      return;
    }
    if (index === 0) return; // the cursor's own line continues whatever is before the cursor
    const line = this.buffer.slice(start, end);
    const body = line.trim();
    if (body === "") {
      this.sawBlankLine = true;
      return;
    }
    const width = indentWidth(leadingWhitespace(line), this.tabSize);
    if (this.afterOpener) {
      // Block body ends at the first line back at (or left of) the opener's indentation; a
      // closing bracket there belongs to the block, anything else does not.
      if (width < this.baseIndent || (width === this.baseIndent && !CLOSER.test(body))) this.cut = trimNewline(this.buffer, start);
      else if (width === this.baseIndent) this.cut = end;
    } else if (width < this.baseIndent || (this.sawBlankLine && width === this.baseIndent)) {
      // At a line start: a dedent ends the block, and so does a new statement at the starting
      // indentation after a blank line (the model has moved on to the next unit).
      this.cut = trimNewline(this.buffer, start);
    }
  }
}

/** Position before the newline that ends the previous line (so the cut text has no trailing newline). */
function trimNewline(buffer: string, lineStart: number): number {
  return lineStart > 0 && buffer.charCodeAt(lineStart - 1) === 10 ? lineStart - 1 : lineStart;
}
