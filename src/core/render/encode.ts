/**
 * Encoding of untrusted text for Mermaid source. Model files come from cloned repositories, so every label
 * that reaches a diagram goes through `mermaidString`/`mermaidLines`: the result is a double-quoted Mermaid
 * string in which every character that means something to Mermaid (quotes, `#`, `%`, `;`, `:`, `&`, `<`, `>`,
 * backticks, brackets, braces, pipes, backslashes, `@`, `$`, …) is written as Mermaid's numeric entity `#NNN;`,
 * control and bidi-format characters are dropped and line breaks become spaces. So a label can never close its
 * string, start a `%%{init}%%` directive, a comment, a markdown or KaTeX string, a `click` or `style`
 * statement, or an HTML tag.
 *
 * Mermaid turns `#NNN;` into `&#NNN;`, which an HTML label (GitHub, `htmlLabels: true`) shows as the
 * character. With `htmlLabels: false` (our webview) Mermaid writes it into SVG text as it is, so the webview
 * decodes `&#NNN;` in the SVG's text nodes after rendering (`decodeSvgEntities` there). Only the characters
 * listed are encoded, so ordinary labels are measured and laid out exactly.
 *
 * Long labels are wrapped here, at spaces (`wrap`, in characters per line), and the lines joined with `<br>`:
 * Mermaid's own wrapping of SVG text cuts a word that does not fit its width anywhere ("Customer-servic / e
 * agent"). Wrapping happens on the plain text, before encoding, so a line break can never split an entity.
 */

/** Characters that are syntax somewhere in Mermaid (or its preprocessing, markdown, KaTeX and HTML labels). */
export const ENCODED_CHARS = '"#%`<>&;:|[]{}\\@$~^';
/** Control, format (bidi overrides, zero-width) and unassigned/private characters are dropped. */
const DROP = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;

export const DEFAULT_LABEL_MAX = 80;

/** Collapses whitespace and line breaks to single spaces and trims. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Shortens `text` to at most `max` code points, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const cps = Array.from(text);
  if (cps.length <= max) return text;
  return cps.slice(0, Math.max(1, max - 1)).join('').trimEnd() + '…';
}

/** Characters per line for wrapped node labels (about 160px at the webview's 14px font). */
export const NODE_LABEL_WRAP = 22;
/** Characters per line for edge labels (Mermaid wraps those at a fixed 200px) and the wordier attack-tree nodes. */
export const WIDE_LABEL_WRAP = 24;

const codePoints = (s: string) => Array.from(s).length;
/** Where a word that is longer than a whole line may be cut: after one of these. */
const WORD_JOINTS = '-/._,:;@';

/**
 * Splits text into lines of at most `width` code points, breaking at spaces. A word longer than a line is cut
 * after a hyphen, slash, dot or underscore when one falls in the second half of the line, else at the width.
 * A lone separator such as `→` stays with the word after it; a middle dot `·` where the line breaks is dropped.
 */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(4, Math.floor(width));
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    if (line) lines.push(line);
    line = '';
  };
  // A lone separator (`·`, `–`, `→`, …) starts the next line rather than ending this one.
  const words: string[] = [];
  for (const token of normalizeSpace(text).split(' ')) {
    if (words.length && /^[\p{P}\p{S}]{1,2}$/u.test(words[words.length - 1]) && !/^[\p{P}\p{S}]+$/u.test(token)) words[words.length - 1] += ` ${token}`;
    else if (token) words.push(token);
  }
  for (const word of words) {
    let rest = Array.from(word);
    while (rest.length > w) {
      flush();
      let cut = w;
      for (let i = w; i > Math.floor(w / 2); i--) {
        if (WORD_JOINTS.includes(rest[i - 1])) {
          cut = i;
          break;
        }
      }
      lines.push(rest.slice(0, cut).join(''));
      rest = rest.slice(cut);
    }
    const piece = rest.join('');
    if (!piece) continue;
    if (line && codePoints(line) + 1 + rest.length <= w) line += ` ${piece}`;
    else {
      flush();
      // A middle dot only separates; where the line breaks anyway it goes.
      line = lines.length && piece.startsWith('· ') ? piece.slice(2) : piece;
    }
  }
  flush();
  return lines;
}

/** Entity-encodes text for use between Mermaid's double quotes (without the quotes). */
export function encodeMermaidText(text: string): string {
  let out = '';
  for (const ch of normalizeSpace(String(text))) {
    if (ENCODED_CHARS.includes(ch)) out += `#${ch.codePointAt(0)};`;
    else if (DROP.test(ch)) continue;
    else out += ch;
  }
  return out;
}

/** One label line, truncated, then wrapped at spaces when `wrap` is given, each piece encoded. */
function encodeLine(text: string, max: number, wrap: number | undefined): string[] {
  const cut = truncate(normalizeSpace(text), max);
  return (wrap ? wrapWords(cut, wrap) : [cut]).map(encodeMermaidText).filter(l => l !== '');
}

/**
 * A complete Mermaid string literal: `"…"`, whitespace collapsed, truncated to `max` code points, wrapped at
 * spaces into lines of `wrap` code points when given, every unsafe character entity-encoded. Empty text gives
 * a single space so that Mermaid never sees `""`.
 */
export function mermaidString(text: string | undefined, max = DEFAULT_LABEL_MAX, wrap?: number): string {
  const body = encodeLine(text ?? '', max, wrap).join('<br>');
  return `"${body === '' ? ' ' : body}"`;
}

/**
 * Joins label lines for Mermaid (non-HTML labels): Mermaid turns `<br>` into a line break. Each line is
 * truncated to `max` and, when `wrap` is given, wrapped at spaces into lines of at most `wrap` code points.
 */
export function mermaidLines(lines: readonly (string | undefined)[], max = DEFAULT_LABEL_MAX, wrap?: number): string {
  const parts = lines.filter((l): l is string => !!l && normalizeSpace(l) !== '').flatMap(l => encodeLine(l, max, wrap));
  return `"${parts.length === 0 ? ' ' : parts.join('<br>')}"`;
}

/** Decodes Mermaid entities back to text (for tests and text fallbacks). */
export function decodeMermaidText(text: string): string {
  return text.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/<br>/g, '\n');
}
