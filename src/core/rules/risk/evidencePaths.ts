/**
 * What an `evidence:` entry names, as a path: shared by the evidence rules so that a path outside the
 * repository is reported by one rule and never looked up by the other. Pure string work (no file system).
 */
import { LineIndex, lineCol } from '../../lines';

/** The file part of an evidence entry (`src/a.ts#L3-L9` -> `src/a.ts`), or undefined for URLs, prose and globs. */
export function evidenceFile(ev: string): string | undefined {
  if (isAbsolutePath(ev)) return ev.replace(/#.*$/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(ev) || /\s/.test(ev)) return undefined; // URL or prose
  const file = ev.replace(/#.*$/, '');
  if (!file || /[*?]/.test(file)) return undefined;
  return file;
}

/**
 * The evidence entries of a model's mitigations that name a file inside the repository that does not exist
 * (`fileExists` answers false), in file order: what `risk/evidence-not-found` reports, and what makes the CLI
 * read the repository's history for where each file went.
 */
export function* missingEvidence(
  mitigations: Readonly<Record<string, { evidence?: readonly string[] }>> | undefined,
  settings: { fileExists?: (relativePath: string) => boolean | undefined; modelDirInRepo?: string },
): Generator<{ id: string; index: number; file: string }> {
  const exists = settings.fileExists;
  if (!exists) return;
  for (const [id, m] of Object.entries(mitigations ?? {})) {
    for (const [index, ev] of (m.evidence ?? []).entries()) {
      const file = evidenceFile(ev);
      if (file === undefined || !insideRepository(file, settings.modelDirInRepo ?? '')) continue;
      if (exists(file) === false) yield { id, index, file };
    }
  }
}

/** `/etc/passwd`, `\\server\share`, `//server/share`, `C:\x`, `C:/x`. */
export function isAbsolutePath(p: string): boolean {
  return /^[/\\]/.test(p) || /^[a-z]:([/\\]|$)/i.test(p);
}

/**
 * Whether `file` (relative to the model's folder) stays inside the repository. `modelDir` is the model's
 * folder relative to the repository root ('' when the model is at the root, or when the root is unknown, in
 * which case the model's own folder is the boundary).
 */
export function insideRepository(file: string, modelDir: string): boolean {
  if (isAbsolutePath(file)) return false;
  const parts: string[] = [];
  for (const seg of `${modelDir}/${file}`.split(/[/\\]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return false;
      parts.pop();
    } else parts.push(seg);
  }
  return true;
}

/** What an evidence entry points at inside its file: a line range (`#L10-L40`, `#L7`) or a symbol (`#verifyToken`). */
export type EvidenceAnchor = { kind: 'lines'; start: number; end: number } | { kind: 'symbol'; name: string };

const LINES = /^L(\d{1,7})(?:-L?(\d{1,7}))?$/;
const SYMBOL = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*){0,4}$/;

/** The anchor after `#` of a path-like evidence entry, or undefined (no `#`, a URL, or an anchor of neither form). */
export function evidenceAnchor(ev: string): EvidenceAnchor | undefined {
  if (evidenceFile(ev) === undefined) return undefined;
  const i = ev.indexOf('#');
  if (i < 0) return undefined;
  const a = ev.slice(i + 1);
  const l = LINES.exec(a);
  if (l) {
    const start = Number(l[1]);
    return { kind: 'lines', start, end: l[2] === undefined ? start : Number(l[2]) };
  }
  return SYMBOL.test(a) ? { kind: 'symbol', name: a } : undefined;
}

/** The segments of a symbol name: `Auth.verify`, `Auth::verify`, `Auth#verify` -> `Auth`, `verify`. */
const segments = (name: string) => name.split(/\.|::|#/);

/** The offset where `word` first occurs in `text` as a whole word (not inside a longer identifier), or -1. */
function wordOffset(text: string, word: string): number {
  const m = new RegExp(`(^|[^\\w$])${word.replace(/\$/g, '\\$')}(?![\\w$])`).exec(text);
  return m ? m.index + m[1].length : -1;
}

/** Whether every segment of a symbol name occurs in the text as a whole word. */
export function symbolOccurs(text: string, name: string): boolean {
  return segments(name).every(seg => wordOffset(text, seg) >= 0);
}

/** The 1-based line where `name` (its last segment) occurs as a whole word, or undefined. */
export function symbolLine(text: string, name: string): number | undefined {
  const at = wordOffset(text, segments(name).pop()!);
  return at < 0 ? undefined : lineCol(text, at).line;
}

/** Lines of a text, as an editor counts them (a final line break does not start a line of its own). */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const n = new LineIndex(text).lineCount;
  return /[\r\n]$/.test(text) ? n - 1 : n;
}
