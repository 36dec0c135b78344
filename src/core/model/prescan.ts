/**
 * One linear pass over the text before the YAML parser sees it, so that no file under the size cap can make
 * the parser recurse or allocate without bound:
 * - flow nesting (`[[[[...`, `{{{{...`) deeper than the limit;
 * - block nesting (`- - - - x`, `? ? ? x`, or ever deeper indentation) deeper than the limit;
 * - more nodes than the budget (`[a,a,a,...]` with a million items parses into a gigabyte of AST).
 *
 * It reads just enough YAML to tell structure from content: quoted scalars (which may span lines), comments,
 * block scalars (`|` and `>`, whose lines are text however many brackets they hold) and plain scalars (a `[`
 * inside `title: a [draft]` opens nothing). Where it cannot be sure it errs towards counting, and the parser's
 * own result is still checked afterwards (depth and node limits in the conversion to plain data).
 */

export interface PrescanLimits {
  /** Deepest nesting allowed, flow and block alike. */
  maxDepth: number;
  /** Estimated nodes allowed (one per line plus one per flow item). */
  maxNodes: number;
}

export interface PrescanProblem {
  kind: 'flow-depth' | 'block-depth' | 'too-many-nodes';
  offset: number;
}

const isBlank = (c: number) => c === 32 || c === 9;

export function prescan(text: string, limits: PrescanLimits): PrescanProblem | undefined {
  const n = text.length;
  /** Columns of the open block collections (indentation stack). */
  const stack: number[] = [];
  let flowDepth = 0;
  let quote = 0; // 34 (") or 39 (') while inside a quoted scalar
  /** Inside a block scalar: its parent's column; its lines are those indented more (or blank). */
  let blockScalarParent = -1;
  let nodes = 0;
  let lineStart = 0;

  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    const next = lineEnd + 1;
    const blankLine = i >= lineEnd || text.charCodeAt(i) === 13 || (text.charCodeAt(i) === 9 && /^[\t \r]*$/.test(text.slice(i, lineEnd)));

    if (blockScalarParent >= 0) {
      if (blankLine || indent > blockScalarParent) { lineStart = next; continue; }
      blockScalarParent = -1;
    }
    if (!blankLine) {
      if (++nodes > limits.maxNodes) return { kind: 'too-many-nodes', offset: i };
    }

    // Block structure, unless the line continues a flow collection or a quoted scalar.
    let valueStart = true;
    /** Column of the node that owns a block scalar starting on this line: the key, or the `-` before it. */
    let parentColumn = indent;
    if (flowDepth === 0 && quote === 0 && !blankLine) {
      const c0 = text.charCodeAt(i);
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 >= lineEnd || isBlank(text.charCodeAt(i + 3)) || text.charCodeAt(i + 3) === 13)) {
        stack.length = 0;
        i += 3;
      } else if (c0 !== 35 /* # */) {
        while (stack.length && stack[stack.length - 1] > indent) stack.pop();
        if (!stack.length || stack[stack.length - 1] < indent) stack.push(indent);
        // Compact nesting on one line: `- - x`, `? ? x`, `- key: ...`.
        for (;;) {
          const c = text.charCodeAt(i);
          if ((c === 45 || c === 63 || c === 58) && (i + 1 >= lineEnd || isBlank(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 13)) {
            parentColumn = i - lineStart;
            i++;
            while (i < lineEnd && isBlank(text.charCodeAt(i))) i++;
            if (i < lineEnd && stack[stack.length - 1] < i - lineStart) stack.push(i - lineStart);
            if (stack.length > limits.maxDepth) return { kind: 'block-depth', offset: i };
            continue;
          }
          break;
        }
        if (stack.length > limits.maxDepth) return { kind: 'block-depth', offset: i };
      }
    }

    // The characters of the line.
    while (i < lineEnd) {
      const c = text.charCodeAt(i);
      if (quote) {
        if (c === 92 /* \ */ && quote === 34) i++;
        else if (c === quote) {
          if (quote === 39 && text.charCodeAt(i + 1) === 39) i++; // '' inside single quotes
          else quote = 0;
        }
        i++;
        continue;
      }
      if (isBlank(c) || c === 13) { i++; continue; }
      if (c === 35 /* # */ && (i === lineStart || isBlank(text.charCodeAt(i - 1)))) break; // comment
      if (flowDepth > 0) {
        if (c === 34 || c === 39) { const p = text.charCodeAt(i - 1); if (i === lineStart || isBlank(p) || p === 91 || p === 123 || p === 44 || p === 58) quote = c; }
        else if (c === 91 || c === 123) {
          if (++flowDepth > limits.maxDepth) return { kind: 'flow-depth', offset: i };
          if (++nodes > limits.maxNodes) return { kind: 'too-many-nodes', offset: i };
        } else if (c === 93 || c === 125) flowDepth--;
        else if (c === 44 /* , */) { if (++nodes > limits.maxNodes) return { kind: 'too-many-nodes', offset: i }; }
        i++;
        continue;
      }
      // Block context.
      if (valueStart) {
        if (c === 38 /* & */ || c === 33 /* ! */) { // anchor or tag before the value
          while (i < lineEnd && !isBlank(text.charCodeAt(i))) i++;
          continue;
        }
        if (c === 91 || c === 123) { flowDepth = 1; nodes++; i++; continue; }
        if (c === 34 || c === 39) { quote = c; valueStart = false; i++; continue; }
        if ((c === 124 || c === 62) && /^[|>][-+0-9]*[ \t]*(#.*)?\r?$/.test(text.slice(i, lineEnd))) {
          blockScalarParent = parentColumn;
          break;
        }
      }
      // A plain scalar or key: look for `: ` (a value follows) and the end of the line.
      if (valueStart && flowDepth === 0) parentColumn = i - lineStart;
      valueStart = false;
      if (c === 58 /* : */ && (i + 1 >= lineEnd || isBlank(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 13)) {
        valueStart = true;
      }
      i++;
    }
    lineStart = next;
  }
  return undefined;
}
