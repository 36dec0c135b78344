/**
 * Untrusted text for terminals and CI logs. Model files come from cloned repositories, so a key, a name or a
 * file name may hold a line break (YAML `"a\nb"`), an escape sequence (raw 0x1B or YAML `"\e"`), or a
 * Unicode bidi override. Printed raw, a line break forges a whole `path:line:col error …` line or a GitHub
 * Actions workflow command (`::error …` at the start of a line), ESC drives the terminal (colours, cursor,
 * title, OSC 8 links, clearing the screen) and a bidi override shows text in an order other than its bytes
 * (Trojan Source).
 *
 * `terminalSafe` turns any string into one line of inert text: every such character is written as a visible
 * escape (`\n`, `\r`, `\t`, `\x1b`, `\u202e`), so the reader sees that it is there and nothing acts on it.
 * Backslashes themselves are left as they are (Windows paths stay readable), so the escape is for the eye,
 * not meant to be decoded back. The Actions runner also honours the legacy `##[command]` form anywhere in a
 * line, so `##[` is written `##\[`.
 *
 * Escaped: C0 controls (U+0000–U+001F: NUL, TAB, LF, CR, ESC, …), DEL and C1 controls (U+007F–U+009F, which
 * include the 8-bit CSI U+009B and NEL U+0085), the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), the directional marks U+200E, U+200F and U+061C, the line and paragraph separators
 * U+2028/U+2029 and lone surrogates (not encodable as UTF-8).
 *
 * `documentSafe` does the same for a multi-line document printed to a terminal or CI log (Markdown, Mermaid,
 * YAML), whose own line feeds and tabs stay; `jsonSafe` does it without changing what the JSON means.
 */

const BIDI_AND_SEPARATORS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_AND_SEPARATORS}]|${LONE_SURROGATE}`, 'g');
/** The same without LF and TAB, which a document keeps. */
const UNSAFE_IN_DOCUMENT = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI_AND_SEPARATORS}]|${LONE_SURROGATE}`, 'g');
/** What `JSON.stringify` leaves unescaped of the above (it escapes C0 controls and lone surrogates itself). */
const RAW_IN_JSON = new RegExp(`[\\u007f-\\u009f${BIDI_AND_SEPARATORS}]`, 'g');
/** The legacy workflow command prefix, which the Actions runner finds anywhere in a line. */
const LEGACY_COMMAND = /##\[/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The visible escape of one unsafe character. */
function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control, bidi and line-separator characters (LF and TAB included) as visible escapes; nothing else changes. */
export function escapeControls(text: unknown): string {
  return String(text ?? '').replace(UNSAFE, escapeChar);
}

/**
 * One line of terminal-safe text: control, bidi and line-separator characters become visible escapes and
 * `##[` becomes `##\[`. Idempotent. A line that starts with our own prefix (`path:line:col`, `rampart cmd:`,
 * `note:`) followed by such text can therefore never be, or contain, a workflow command.
 */
export function terminalSafe(text: unknown): string {
  return escapeControls(text).replace(LEGACY_COMMAND, '##\\[');
}

/**
 * A multi-line document for a terminal or CI log: like `terminalSafe`, but the document's line feeds and tabs
 * stay, and a line that would start with `::` (after blanks: a workflow command) gets a backslash before it.
 * For Markdown both backslashes are ordinary escapes (`\:` and `\[` show as `:` and `[`); the document's
 * encoders normally leave nothing for this to change.
 */
export function documentSafe(text: string): string {
  return text.replace(UNSAFE_IN_DOCUMENT, escapeChar).replace(LEGACY_COMMAND, '##\\[').replace(/^([ \t]*)::/gm, '$1\\::');
}

/**
 * JSON text (as `JSON.stringify` writes it) with the characters `JSON.stringify` leaves raw (DEL, C1 controls,
 * bidi, U+2028/U+2029) and the `[` of `##[` written as `\uXXXX`. All of them can only occur inside JSON
 * strings, where the escape means the same character, so the parsed value is unchanged.
 */
export function jsonSafe(json: string): string {
  return json.replace(RAW_IN_JSON, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(LEGACY_COMMAND, '##\\u005b');
}
