/**
 * Offsets <-> 1-based line and column, as every front end but VS Code shows them (CLI text output, SARIF
 * regions, the Markdown report). Columns count UTF-16 code units, like JS strings, VS Code and SARIF's
 * default `columnKind: utf16CodeUnits`. Line breaks are those of YAML 1.2: LF, CRLF (one break) and a lone CR.
 *
 * `LineIndex` scans the text once and answers each lookup with a binary search, so converting every finding
 * of a large model stays linear; `lineCol` is the one-off convenience.
 */

export interface LineCol {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Line and column of `offset`, clamped to the text. The column is at most the line's length + 1 (just past its
   * last character, where its line break starts): an offset between the CR and LF of a CRLF is reported there
   * too, since the break is one unit.
   */
  lineCol(offset: number): LineCol {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.min(o, this.lineEnd(lo + 1)) - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line and column, clamped to the line's content (line breaks excluded). */
  offsetAt(line: number, column: number): number {
    const l = Math.max(1, Math.min(Math.floor(line), this.starts.length));
    const start = this.starts[l - 1];
    const end = this.lineEnd(l);
    return Math.max(start, Math.min(start + Math.max(0, Math.floor(column) - 1), end));
  }

  /** Offset just past the last character of a 1-based line, before its line break. */
  lineEnd(line: number): number {
    const next = line < this.starts.length ? this.starts[line] : this.text.length;
    let end = next;
    if (line < this.starts.length) {
      if (this.text.charCodeAt(end - 1) === 10) end--;
      if (this.text.charCodeAt(end - 1) === 13) end--;
    }
    return end;
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const l = Math.max(1, Math.min(Math.floor(line), this.starts.length));
    return this.text.slice(this.starts[l - 1], this.lineEnd(l));
  }

  /**
   * 1-based start and end of a half-open offset range, with `end` exclusive (the column just past the last
   * character), as SARIF regions want it. An empty range stays empty; a range that ends just after a line
   * break ends at the end of that line instead of column 1 of the next.
   */
  region(range: { start: number; end: number }): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
    const s = this.lineCol(range.start);
    let e = this.lineCol(Math.max(range.start, range.end));
    if (e.column === 1 && e.line > s.line) e = { line: e.line - 1, column: this.lineEnd(e.line - 1) - this.starts[e.line - 2] + 1 };
    return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
  }
}

/** 1-based line and column (UTF-16 code units) of an offset; CRLF counts as one line break. */
export function lineCol(text: string, offset: number): LineCol {
  return new LineIndex(text).lineCol(offset);
}
