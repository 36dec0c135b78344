/**
 * Encoding of untrusted text for GitHub-flavoured Markdown (reports, PR comments, SARIF help). Model files
 * come from cloned repositories, so every user string that reaches Markdown goes through one of these:
 *
 * - `mdText`: inline text. HTML is entity-encoded (`<`, `>`, `&`), Markdown punctuation that could start a
 *   link, image, emphasis, code span, strikethrough or table cell is backslash-escaped, a leading character
 *   that would start a block (heading, quote, list, rule, fence) is escaped, line breaks become spaces,
 *   `@name` mentions are broken with a zero-width space (a PR comment must not ping people), and control and
 *   bidirectional-override characters are dropped.
 * - `mdCell`: the same, for a GFM table cell (pipes are escaped either way; empty text becomes a dash).
 * - `mdCode`: a code span whose fence is longer than any backtick run inside it.
 *
 * Nothing user-written is ever emitted as a link target, an HTML tag or a fenced block's info string.
 * Bare `https://` text may still be auto-linked by GitHub, which is what evidence links want.
 */

/** C0/C1 controls (tab and line breaks are handled separately) and bidi overrides/isolates (Trojan Source). */
const DROP = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/**
 * Inline punctuation escaped everywhere: links/images (`[ ]`), code, emphasis, strikethrough, GitHub math (`$`)
 * and table cells (`|`, harmless elsewhere).
 */
const INLINE = /[\\`*_[\]|~$]/g;

/** Collapses all whitespace (line breaks included) to single spaces and trims; drops control characters. */
export function oneLine(text: string | number | undefined | null): string {
  return String(text ?? '').replace(DROP, '').replace(/\s+/g, ' ').trim();
}

/** Shortens to at most `max` code points, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const cps = Array.from(text);
  return cps.length <= max ? text : cps.slice(0, Math.max(1, max - 1)).join('').trimEnd() + '…';
}

/** Inline Markdown text from untrusted input (see the file header). */
export function mdText(text: string | number | undefined | null, max = 5000): string {
  let s = clip(oneLine(text), max);
  // HTML never passes: `<` and `>` are entities, and so is `&` where it would start an entity.
  s = s.replace(/&(?=#?[a-z0-9]+;)/gi, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  s = s.replace(INLINE, c => '\\' + c);
  // Mentions (@user, @org/team) would notify people from a PR comment; e-mail addresses stay as they are.
  s = s.replace(/(^|[^\p{L}\p{N}_.+-])@(?=[\p{L}\p{N}])/gu, '$1@\u200b');
  // Block starts: #, >, -, +, =, an ordered-list number, or a thematic break.
  s = s.replace(/^([#+=-])(?=[\s#=+-]|$)/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
  return s;
}

/**
 * A message written by a rule (which quotes ids in backticks and may quote user text): encoded like `mdText`,
 * then backtick pairs around id-like words (letters, digits, `-`, `_`, `.`, `/`, `@`, `#`, `:`, `=`, single
 * spaces) become code spans
 * again. Anything else a backtick encloses stays escaped text.
 */
export function mdMessage(text: string | undefined, max = 1000): string {
  return mdText(text, max).replace(/\\`((?:[A-Za-z0-9@#:./=-]|\\_)+(?: (?:[A-Za-z0-9@#:./=-]|\\_)+)*)\\`/g, (_, code: string) => '`' + code.replace(/\\_/g, '_') + '`');
}

/** `<https://…>` when the string is a plain http(s) URL a CommonMark autolink can hold; undefined otherwise. */
export function mdAutolink(url: string): string | undefined {
  return /^https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/i.test(url) && url.length <= 2000 ? `<${url}>` : undefined;
}

/** Text for inside an HTML element we write ourselves (`<summary>`), where Markdown escapes do not apply. */
export function htmlText(text: string | number | undefined | null, max = 500): string {
  return clip(oneLine(text), max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A GFM table cell from untrusted input; `—` when empty. */
export function mdCell(text: string | number | undefined | null, max = 500): string {
  const s = mdText(text, max);
  return s === '' ? '—' : s;
}

/** An inline code span (escaped text when it holds `<` or `>`); pipes are escaped so it is also safe in a table cell (GFM keeps `\|` as `|`). */
export function mdCode(text: string | number | undefined | null, max = 500): string {
  const s = clip(oneLine(text), max);
  if (s === '') return '';
  // Code spans cannot hold entities, so text with angle brackets is written as escaped text instead.
  if (/[<>]/.test(s)) return mdText(s, max);
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map(r => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${s.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A GFM table: header cells and rows are already-encoded Markdown (use `mdCell`/`mdCode` for user text). */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r' | 'c')[]): string {
  const sep = header.map((_, i) => ({ l: '---', r: '---:', c: ':---:' })[align?.[i] ?? 'l']);
  const line = (cells: readonly string[]) => `| ${cells.map(c => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

/** A number with thousands separators and no more than `digits` decimals (locale-independent). */
export function formatNumber(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Math.abs(n).toFixed(digits);
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = frac ? frac.replace(/0+$/, '') : '';
  return (n < 0 && Number(fixed) !== 0 ? '-' : '') + grouped + (trimmed ? '.' + trimmed : '');
}

/** An amount of money: `EUR 12,345`. The currency is a validated ISO code, or none. */
export function formatMoney(amount: number, currency: string | undefined): string {
  const code = currency && /^[A-Z]{3}$/.test(currency) ? currency : '';
  return `${code ? code + ' ' : ''}${formatNumber(Math.round(amount))}`;
}

/** "1 threat", "2 threats". */
export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}
