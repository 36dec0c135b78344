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

/**
 * A complete Mermaid string literal: `"…"`, whitespace collapsed, truncated to `max` code points, every unsafe
 * character entity-encoded. Empty text gives a single space so that Mermaid never sees `""`.
 */
export function mermaidString(text: string | undefined, max = DEFAULT_LABEL_MAX): string {
  const body = encodeMermaidText(truncate(normalizeSpace(text ?? ''), max));
  return `"${body === '' ? ' ' : body}"`;
}

/** Joins label lines for Mermaid (non-HTML labels): Mermaid turns `<br>` into a line break. */
export function mermaidLines(lines: readonly (string | undefined)[], max = DEFAULT_LABEL_MAX): string {
  const parts = lines.filter((l): l is string => !!l && normalizeSpace(l) !== '').map(l => encodeMermaidText(truncate(normalizeSpace(l), max)));
  return `"${parts.length === 0 ? ' ' : parts.join('<br>')}"`;
}

/** Decodes Mermaid entities back to text (for tests and text fallbacks). */
export function decodeMermaidText(text: string): string {
  return text.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/<br>/g, '\n');
}
