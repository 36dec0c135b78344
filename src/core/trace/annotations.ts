/**
 * Threat-model annotations in source comments, in any language. A developer writes, in a comment:
 *
 * - `@mitigates <threat-id>` or `@mitigates <threat-id> with <mitigation-id>`: this code mitigates the threat;
 * - `@threat <threat-id>`: this code is exposed to the threat;
 * - `@accepts <threat-id>`: the risk is accepted here;
 * - `@model <element-id>`: this file implements the element.
 *
 * Pure string work (no file system, no Node built-ins): an adapter reads the files and passes their text.
 *
 * **Ids.** Element and mitigation ids follow `ID_PATTERN` (kebab-case); threat ids follow `THREAT_ID_PATTERN`,
 * which also admits the `rule@element` ids of suggested threats (`design-unencrypted-flow@checkout`), as the
 * schema does; both are capped at the schema's lengths. The id is the run of `[A-Za-z0-9_.@-]` after the
 * keyword, without trailing dots (a sentence's full stop): an id with capitals or `_` is not shortened to a
 * valid prefix, it is no annotation. It must end the comment or be followed by whitespace or one of
 * `, ; : ) ] } > * " ' \` ! ?` (so `foo/bar` or `foo(x)` is not an id). The keyword is case-sensitive, must be
 * followed by a space or tab, and preceded by whitespace or only comment decoration (`//@threat x`,
 * `/**@threat x`, ` *@threat x`), so `email@mitigates.com` and `@mitigatesX` are not annotations. `with` must
 * directly follow the threat id; a `with` without a valid id leaves the annotation without one.
 *
 * **Comments.** The syntax is chosen from the file name (see SYNTAXES): line comments `//`, `#`, `--`, `;`, `%`,
 * `'` (VB), `REM` and `::` (batch) and block comments `/* *\/`, `<!-- -->`, `{- -}`, `(* *)`, `#| |#`, `<# #>`,
 * `--[[ ]]`, `#= =#`, `#[ ]#`, `{ }` (Pascal), `@* *@` (Razor), tracked across lines, nested where the language
 * nests them (Rust, Swift, Kotlin, Scala, Dart, Haskell, OCaml, Lisp, Julia, Nim). A file of an unknown kind
 * gets a generic mix: `//`, `#`, `--`, `;`, `%` (the last four at the start of a line or after whitespace),
 * `REM`, `/* *\/` and `<!-- -->`. `#` is a comment only at the start of a line or after whitespace in shell,
 * YAML, Ruby and the like (`$#`, `url#frag`); `%` after a backslash is not one in TeX; a shebang line is skipped.
 *
 * **Strings** are skipped with a per-line heuristic: a quote (`"`, `'`, and `` ` `` where the language has it)
 * opens a string only if it closes on the same line (backslash escapes honoured where the language has them),
 * so `"http://x" // @threat a` finds the annotation and a Rust lifetime or an apostrophe in prose does not hide
 * the rest of the line. Triple-quoted strings (`"""`, `'''`: Python docstrings, Kotlin, Java text blocks...)
 * are tracked across lines and are not comments. Markdown code fences (``` and ~~~) are skipped, so examples
 * in documentation are not annotations.
 *
 * **Not handled** (known limits): strings spanning lines other than triple-quoted ones (JS template literals,
 * Go raw strings, C line continuations), raw strings with their own delimiters (`r#"..."#`, `R"(...)"`), regex
 * literals, heredocs, Ruby `=begin`/`=end`, Perl POD, Lua long brackets with `=` (`--[==[`), languages embedded
 * in others beyond HTML's `<script>`/`<style>` comments (`//` and `/* *\/` count anywhere in an HTML file), and
 * Markdown indented code blocks. A block comment opened by mistake (an odd `(*` in an unknown file) runs to its
 * close or the end of the file. In YAML, a `#` inside a block scalar (`run: |`) counts as a comment: it usually
 * is one, of the script the scalar holds.
 *
 * **Lines and columns.** Line breaks are LF, CRLF and a lone CR. Columns are 0-based UTF-16 code units within
 * the line. A byte-order mark at the start of the file is not part of line 1: columns count from after it, as
 * editors show the line.
 *
 * **Cost.** Files over ANNOTATION_LIMITS.fileSize characters are not scanned, nor binary files (a NUL byte in
 * their first 8,000 bytes, as git decides: `looksBinary`, checked before decoding); a file without any keyword is
 * rejected by `mayHoldAnnotations` (four `indexOf`s); otherwise one pass over the text, linear in its length
 * (no regular expression runs on the text), stopping at ANNOTATION_LIMITS.perFile annotations.
 */
import { ID_PATTERN, LIMITS, THREAT_ID_PATTERN } from '../model/vocabulary';

export type AnnotationKind = 'mitigates' | 'threat' | 'accepts' | 'model';

export interface Annotation {
  kind: AnnotationKind;
  /** The threat id (mitigates, threat, accepts) or the element id (model). */
  id: string;
  /** `@mitigates t with m`: the mitigation id. */
  with?: string;
  /** The file as given to scanAnnotations. */
  file: string;
  /** 1-based line of the annotation. */
  line: number;
  /** 0-based column (UTF-16 code units) where `id` starts in that line, and where it ends (exclusive). */
  column: number;
  endColumn: number;
  /** Same for the `with` id, when there is one. */
  withColumn?: number;
  withEndColumn?: number;
}

/** Limits: a file longer than this many characters is not scanned (returns []); at most this many annotations per file. */
export const ANNOTATION_LIMITS: { readonly fileSize: number; readonly perFile: number } = Object.freeze({
  fileSize: 2 * 1024 * 1024,
  perFile: 1000,
});

const KEYWORDS: readonly AnnotationKind[] = ['mitigates', 'threat', 'accepts', 'model'];
const NEEDLES = KEYWORDS.map(k => `@${k}`);

/** Whether a file's first bytes say it is binary (a NUL among the first 8,000, git's test): it is not scanned. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** Quick pre-check: whether the text may hold any annotation at all (a cheap indexOf-based test used before the full scan). */
export function mayHoldAnnotations(text: string): boolean {
  return NEEDLES.some(n => text.includes(n));
}

// ---------------------------------------------------------------------------------------------------------
// File names

/**
 * Extensions never scanned: binaries, media, archives, data, certificates, source maps, patches (a diff repeats
 * the annotations of the files it changes) and prose (its examples are not annotations).
 */
const SKIPPED_EXTENSIONS = new Set((
  'png jpg jpeg gif bmp ico icns webp avif tif tiff psd heic heif svg svgz xcf ' +
  'woff woff2 ttf otf eot ' +
  'zip tar gz tgz bz2 xz zst lz lzma 7z rar jar war ear cab deb rpm apk dmg iso whl egg nupkg gem vsix crx xpi ' +
  'mp3 mp4 m4a aac wav ogg flac avi mov mkv webm ' +
  'pdf doc docx xls xlsx ppt pptx odt ods odp epub ' +
  'exe dll so dylib a lib o obj class pyc pyo pyd wasm bin dat db sqlite sqlite3 node pdb ' +
  'csv tsv parquet avro pkl pickle npy npz h5 onnx pt ckpt safetensors ' +
  'pem crt cer der key p12 pfx jks keystore log map lock lockb sum patch diff ' +
  'txt rst adoc asciidoc'
).split(' '));
/** Whole file names never scanned: lock files and generated manifests. */
const SKIPPED_NAMES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'go.sum',
  'packages.lock.json', 'composer.lock', 'gemfile.lock', 'cargo.lock', 'poetry.lock', 'pipfile.lock',
  'flake.lock', 'mix.lock', 'pubspec.lock', 'podfile.lock', 'deno.lock', '.ds_store', 'thumbs.db',
]);
/** Suffixes of generated or model files. */
const SKIPPED_SUFFIXES = [
  '.threatmodel.yaml', '.threatmodel.yml', '.min.js', '.min.mjs', '.min.cjs', '.min.css', '.bundle.js', '.chunk.js',
];

/** The lower-cased file name of a path (`/` or `\` separated) and its extension (`''` when none). */
function nameParts(path: string): { base: string; ext: string } {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  return { base, ext: dot < 0 ? '' : base.slice(dot + 1) };
}

/** Whether a file name is worth scanning (source code and config text; not images, archives, lock files, minified bundles, *.threatmodel.yaml). */
export function isScannableName(name: string): boolean {
  const { base, ext } = nameParts(name);
  if (!base || SKIPPED_NAMES.has(base)) return false;
  if (SYNTAXES.has(base)) return true;
  if (SKIPPED_EXTENSIONS.has(ext)) return false;
  return !SKIPPED_SUFFIXES.some(s => base.endsWith(s));
}

// ---------------------------------------------------------------------------------------------------------
// Comment syntaxes

interface LineMarker {
  mark: string;
  /** Only at the start of the line or after a space or tab (`#` in shell and YAML). */
  afterSpace?: boolean;
  /** Not after a backslash (`\%` in TeX). */
  unescaped?: boolean;
}
interface Block {
  open: string;
  close: string;
  nests?: boolean;
}
interface Syntax {
  line: readonly LineMarker[];
  blocks: readonly Block[];
  /** Quote characters of single-line strings. */
  quotes: string;
  /** Delimiters of strings that may span lines. */
  triple: readonly string[];
  /** Whether a backslash escapes the next character in a string. */
  escapes: boolean;
  /** Lower-case words that make the whole line a comment when they start it, followed by a space or the end (`REM`). */
  lineStart: readonly string[];
  /** Markdown: skip fenced code blocks. */
  fences: boolean;
  /** Char codes (< 128) at which a marker, string or block may start: the others are stepped over. */
  starts: Uint8Array;
  /** What may open something that spans lines (block comments, triple quotes, Markdown fences). */
  openers: readonly string[];
}

function syntax(s: Partial<Omit<Syntax, 'starts' | 'openers'>>): Syntax {
  const full = { line: [], blocks: [], quotes: '', triple: [], escapes: true, lineStart: [], fences: false, ...s };
  const starts = new Uint8Array(128);
  for (const t of [...full.line.map(m => m.mark), ...full.blocks.map(b => b.open), ...full.triple, ...full.quotes]) {
    starts[t.charCodeAt(0)] = 1;
  }
  const openers = [...full.blocks.map(b => b.open), ...full.triple, ...(full.fences ? ['```', '~~~'] : [])];
  return { ...full, starts, openers };
}

const any = (mark: string): LineMarker => ({ mark });
const spaced = (mark: string): LineMarker => ({ mark, afterSpace: true });
const block = (open: string, close: string, nests = false): Block => ({ open, close, nests });
const SLASHES = any('//');
const HASH = spaced('#');
const C_BLOCK = block('/*', '*/');
const C_NESTED = block('/*', '*/', true);
const HTML_BLOCK = block('<!--', '-->');

const C_LIKE = syntax({ line: [SLASHES], blocks: [C_BLOCK], quotes: '"\'`' });
const HASH_LIKE = syntax({ line: [HASH], quotes: '"\'' });
const HTML_LIKE = syntax({ line: [SLASHES], blocks: [HTML_BLOCK, C_BLOCK], quotes: '"\'`' });
const GENERIC = syntax({
  line: [SLASHES, HASH, spaced('--'), spaced(';'), spaced('%')], lineStart: ['rem'], blocks: [C_BLOCK, HTML_BLOCK], quotes: '"\'',
});

/** Comment syntax by extension (or, for files such as `Dockerfile`, by whole lower-case name). */
const SYNTAXES = new Map<string, Syntax>();
for (const [s, names] of [
  [C_LIKE, 'c h cc cpp cxx c++ hpp hh hxx h++ inl ino cu cuh m mm cs js jsx mjs cjs ts tsx mts cts go proto sol zig v sv svh vh ' +
    'glsl hlsl frag vert wgsl json jsonc json5 hx as d'],
  [syntax({ line: [SLASHES], blocks: [C_BLOCK], quotes: '"\'', triple: ['"""'] }), 'java groovy gradle jenkinsfile'],
  [syntax({ line: [SLASHES], blocks: [C_NESTED], quotes: '"\'' }), 'rs'],
  [syntax({ line: [SLASHES], blocks: [C_NESTED], quotes: '"\'', triple: ['"""'] }), 'kt kts scala sc swift'],
  [syntax({ line: [SLASHES], blocks: [C_NESTED], quotes: '"\'', triple: ['"""', "'''"] }), 'dart'],
  [syntax({ blocks: [C_BLOCK], quotes: '"\'' }), 'css'],
  [syntax({ line: [SLASHES], blocks: [C_BLOCK], quotes: '"\'' }), 'scss sass less styl'],
  [syntax({ line: [SLASHES, any('#')], blocks: [C_BLOCK], quotes: '"\'`' }), 'php phtml'],
  [syntax({ line: [any('#')], quotes: '"\'', triple: ['"""', "'''"] }), 'py pyi pyw pyx pxd bzl star'],
  [HASH_LIKE, 'sh bash zsh ksh fish rb rake gemspec ru pl pm t r yaml yml toml conf properties env gitignore dockerignore ' +
    'gitattributes editorconfig npmrc bashrc zshrc profile awk sed tcl mk make cr ' +
    'dockerfile containerfile makefile gnumakefile gemfile rakefile vagrantfile podfile brewfile procfile justfile caddyfile cmakelists.txt'],
  [syntax({ line: [HASH], quotes: '"\'', triple: ['"""', "'''"] }), 'ex exs'],
  [syntax({ line: [any('#')], quotes: '"', triple: ['"""'] }), 'graphql gql'],
  [syntax({ line: [any('#')], blocks: [block('#=', '=#', true)], quotes: '"', triple: ['"""'] }), 'jl'],
  [syntax({ line: [HASH], blocks: [block('#[', ']#', true)], quotes: '"', triple: ['"""'] }), 'nim nims'],
  [syntax({ line: [HASH], blocks: [block('###', '###')], quotes: '"\'', triple: ['"""', "'''"] }), 'coffee'],
  [syntax({ line: [HASH], blocks: [block('#[[', ']]')], quotes: '"' }), 'cmake'],
  [syntax({ line: [HASH], blocks: [block('<#', '#>')], quotes: '"\'', escapes: false }), 'ps1 psm1 psd1'],
  [syntax({ line: [HASH, SLASHES], blocks: [C_BLOCK], quotes: '"' }), 'tf tfvars hcl nomad'],
  [syntax({ line: [HASH], blocks: [C_BLOCK], quotes: '"' }), 'nix'],
  [syntax({ line: [HASH], blocks: [C_BLOCK], quotes: '"\'' }), 'pp'],
  [syntax({ line: [any('--')], blocks: [C_BLOCK], quotes: '"\'', escapes: false }), 'sql pgsql psql plsql mysql ddl'],
  [syntax({ line: [any('--')], blocks: [block('--[[', ']]')], quotes: '"\'' }), 'lua'],
  [syntax({ line: [any('--')], blocks: [block('{-', '-}', true)], quotes: '"' }), 'hs lhs elm purs agda idr'],
  [syntax({ line: [any('--')], quotes: '"', escapes: false }), 'ada adb ads vhd vhdl'],
  [syntax({ line: [any(';')], blocks: [block('#|', '|#', true)], quotes: '"' }), 'lisp lsp cl el scm ss rkt clj cljs cljc edn fnl hy'],
  [syntax({ line: [spaced(';'), HASH], quotes: '"' }), 'ini inf cfg service'],
  [syntax({ line: [any(';'), HASH], blocks: [C_BLOCK], quotes: '"\'' }), 'asm nasm s'],
  [syntax({ line: [{ mark: '%', unescaped: true }] }), 'tex sty ltx dtx bib cls'],
  [syntax({ line: [any('%')], quotes: '"' }), 'erl hrl'],
  [syntax({ line: [any("'")], lineStart: ['rem'], quotes: '"', escapes: false }), 'vb vbs bas vba frm'],
  [syntax({ lineStart: ['rem', '@rem', '::'] }), 'bat cmd'],
  [syntax({ blocks: [block('(*', '*)', true)], quotes: '"' }), 'ml mli mll mly sml sig'],
  [syntax({ line: [SLASHES], blocks: [block('(*', '*)', true)], quotes: '"', triple: ['"""'] }), 'fs fsi fsx'],
  [syntax({ line: [SLASHES], blocks: [block('{', '}'), block('(*', '*)')], quotes: "'", escapes: false }), 'pas dpr lpr'],
  [HTML_LIKE, 'html htm xhtml vue svelte astro jsp ejs erb'],
  [syntax({ line: [SLASHES], blocks: [HTML_BLOCK, C_BLOCK, block('@*', '*@')], quotes: '"\'' }), 'cshtml razor'],
  [syntax({ blocks: [HTML_BLOCK] }), 'xml xsd xsl xslt wsdl plist csproj fsproj vbproj props targets resx xaml config pom'],
  [syntax({ blocks: [HTML_BLOCK], quotes: '`', fences: true }), 'md markdown'],
  [syntax({ blocks: [HTML_BLOCK, C_BLOCK], quotes: '`', fences: true }), 'mdx'],
] as const) {
  for (const n of names.split(' ')) SYNTAXES.set(n, s);
}

function syntaxFor(file: string): Syntax {
  const { base, ext } = nameParts(file);
  return SYNTAXES.get(base) ?? SYNTAXES.get(ext) ?? (base.startsWith('dockerfile') || base.startsWith('.env') ? HASH_LIKE : GENERIC);
}

// ---------------------------------------------------------------------------------------------------------
// The scanner

/** What carries over from one line to the next. */
interface State {
  /** The block comment the line starts in, and how deep (nesting languages). */
  block?: Block;
  depth: number;
  /** The multi-line string the line starts in. */
  triple?: string;
  /** The Markdown fence the line starts in (its first three characters). */
  fence?: string;
}

const SPACE = 32;
const TAB = 9;
const isBlank = (c: number) => c === SPACE || c === TAB;
/** Characters that may sit between a comment marker and the keyword (`///`, `/**`, ` * `, `;;;`, `//!<`). */
const DECORATION = new Set('*/!#-;%\'=~+|<>:'.split('').map(c => c.charCodeAt(0)));
/** Characters that may follow an id: punctuation closing a sentence, a bracket or a comment. */
const AFTER_ID = new Set(',;:)]}>*"\'`!?'.split('').map(c => c.charCodeAt(0)));

const isIdChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 45 || c === 46 || c === 64 || c === 95;

/** The annotations in one file's text. */
export function scanAnnotations(file: string, text: string): Annotation[] {
  if (text.length > ANNOTATION_LIMITS.fileSize || !mayHoldAnnotations(text)) return [];
  const scanner = new LineScanner(file, syntaxFor(file));
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Next LF and CR from pos, each searched again only once passed, so finding the line ends stays linear.
  let lf = -2;
  let cr = -2;
  for (let line = 1; scanner.out.length < ANNOTATION_LIMITS.perFile; line++) {
    if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
    if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    const end = lf < 0 ? (cr < 0 ? text.length : cr) : cr < 0 ? lf : Math.min(lf, cr);
    const s = text.slice(pos, end);
    if (!(line === 1 && s.startsWith('#!'))) scanner.scanLine(s, line);
    if (end >= text.length) break;
    pos = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
  return scanner.out;
}

class LineScanner {
  readonly out: Annotation[] = [];
  private readonly state: State = { depth: 0 };
  // Per line: the text, its number, the next `@` at or after `at` (-1: none left), quotes known not to close.
  private s = '';
  private line = 0;
  private at = -2;
  private unclosed = '';

  constructor(private readonly file: string, private readonly syntax: Syntax) {}

  scanLine(s: string, line: number): void {
    this.s = s;
    this.line = line;
    this.at = -2;
    this.unclosed = '';
    const { syntax, state } = this;
    const n = s.length;
    let i = 0;
    if (state.triple) {
      const j = s.indexOf(state.triple);
      if (j < 0) return;
      i = j + state.triple.length;
      state.triple = undefined;
    }
    if (state.block) {
      const end = this.blockEnd(state.block, 0);
      if (end < 0) return this.comment(0, n);
      this.comment(0, end);
      i = end + state.block.close.length;
      state.block = undefined;
    }
    // A line without `@` that opens nothing spanning lines cannot matter: most lines end here.
    if (i === 0 && s.indexOf('@') < 0 && !syntax.openers.some(o => s.includes(o))) return;
    if (syntax.fences && i === 0 && this.fence()) return;
    if (i === 0 && syntax.lineStart.length && this.lineStartComment()) return;
    const { starts } = syntax;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c >= 128 || !starts[c]) {
        i++;
        continue;
      }
      const b = syntax.blocks.find(b => s.startsWith(b.open, i));
      if (b) {
        state.block = b;
        state.depth = 1;
        const from = i + b.open.length;
        const end = this.blockEnd(b, from);
        if (end < 0) return this.comment(from, n);
        this.comment(from, end);
        state.block = undefined;
        i = end + b.close.length;
        continue;
      }
      const m = syntax.line.find(m => s.startsWith(m.mark, i) && (!m.afterSpace || i === 0 || isBlank(s.charCodeAt(i - 1))) &&
        (!m.unescaped || s.charCodeAt(i - 1) !== 92));
      if (m) return this.comment(i + m.mark.length, n);
      const t = syntax.triple.find(t => s.startsWith(t, i));
      if (t) {
        const j = s.indexOf(t, i + t.length);
        if (j < 0) {
          state.triple = t;
          return;
        }
        i = j + t.length;
        continue;
      }
      i = syntax.quotes.includes(s[i]) ? this.stringEnd(i) : i + 1;
    }
  }

  /** Past the string opened by the quote at i, or just past the quote when it does not close on this line. */
  private stringEnd(i: number): number {
    const { s } = this;
    const q = s[i];
    if (this.unclosed.includes(q)) return i + 1;
    for (let j = i + 1; j < s.length; j++) {
      const c = s[j];
      if (c === q) return j + 1;
      if (c === '\\' && this.syntax.escapes) j++;
    }
    // No later quote of this kind closes either (a bound on the work for a line full of unbalanced quotes).
    this.unclosed += q;
    return i + 1;
  }

  /** Where the block's close starts, from `from` on the line (the depth is in the state), or -1. */
  private blockEnd(b: Block, from: number): number {
    const { s, state } = this;
    if (!b.nests) return s.indexOf(b.close, from);
    for (let i = from; i < s.length; ) {
      if (s.startsWith(b.close, i)) {
        if (--state.depth === 0) return i;
        i += b.close.length;
      } else if (s.startsWith(b.open, i)) {
        state.depth++;
        i += b.open.length;
      } else i++;
    }
    return -1;
  }

  /** Markdown: whether the line opens, closes or is inside a fenced code block (and so holds no annotation). */
  private fence(): boolean {
    const { s, state } = this;
    const k = s.length - s.trimStart().length;
    const mark = k <= 3 ? s.slice(k, k + 3) : '';
    const isFence = mark === '```' || mark === '~~~';
    if (state.fence) {
      if (isFence && mark === state.fence) state.fence = undefined;
      return true;
    }
    if (isFence) state.fence = mark;
    return isFence;
  }

  /** `REM x` or `:: x` (batch, VB): the whole line is a comment. */
  private lineStartComment(): boolean {
    const { s } = this;
    let k = 0;
    while (k < s.length && isBlank(s.charCodeAt(k))) k++;
    for (const w of this.syntax.lineStart) {
      const after = k + w.length;
      if (s.slice(k, after).toLowerCase() === w && (after === s.length || isBlank(s.charCodeAt(after)) || w === '::')) {
        this.comment(after, s.length);
        return true;
      }
    }
    return false;
  }

  /** The annotations in the comment text `[from, to)` of the line. */
  private comment(from: number, to: number): void {
    const { s } = this;
    /** The first index of the comment that is neither blank nor decoration (computed on demand). */
    let text = -1;
    for (let k = from; this.out.length < ANNOTATION_LIMITS.perFile; ) {
      if (this.at !== -1 && this.at < k) this.at = s.indexOf('@', k);
      const a = this.at;
      if (a < 0 || a >= to) return;
      const starts = a === from || isBlank(s.charCodeAt(a - 1)) || a === (text < 0 ? (text = firstText(s, from, to)) : text);
      k = (starts && this.annotationAt(a, to)) || a + 1;
    }
  }

  /** Reads the annotation whose `@` is at `a` (ending by `to`): the index past it, or 0 when there is none. */
  private annotationAt(a: number, to: number): number {
    const { s } = this;
    const kind = KEYWORDS.find(k => s.startsWith(k, a + 1));
    if (!kind) return 0;
    let i = skipBlanks(s, a + 1 + kind.length, to);
    if (i === a + 1 + kind.length) return 0;
    const id = kind === 'model' ? this.idAt(i, to, ID_PATTERN, LIMITS.id) : this.idAt(i, to, THREAT_ID_PATTERN, LIMITS.id * 2);
    if (id < 0) return 0;
    const found: Annotation = { kind, id: s.slice(i, id), file: this.file, line: this.line, column: i, endColumn: id };
    this.out.push(found);
    if (kind !== 'mitigates') return id;
    i = skipBlanks(s, id, to);
    if (i === id || !s.startsWith('with', i)) return id;
    const w = skipBlanks(s, i + 4, to);
    if (w === i + 4) return id;
    const end = this.idAt(w, to, ID_PATTERN, LIMITS.id);
    if (end < 0) return id;
    Object.assign(found, { with: s.slice(w, end), withColumn: w, withEndColumn: end });
    return end;
  }

  /**
   * The end of the id that starts at `i`, or -1: the run of id characters up to `to` without its trailing dots
   * must match the pattern, and the run must end the comment or be followed by a blank or closing punctuation.
   */
  private idAt(i: number, to: number, pattern: RegExp, max: number): number {
    const { s } = this;
    let j = i;
    while (j < to && isIdChar(s.charCodeAt(j))) j++;
    if (j < to && !isBlank(s.charCodeAt(j)) && !AFTER_ID.has(s.charCodeAt(j))) return -1;
    while (j > i && s.charCodeAt(j - 1) === 46) j--;
    return j > i && j - i <= max && pattern.test(s.slice(i, j)) ? j : -1;
  }
}

/** The first index in [from, to) that is neither blank nor decoration, or `to`. */
function firstText(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && (isBlank(s.charCodeAt(i)) || DECORATION.has(s.charCodeAt(i)))) i++;
  return i;
}

/** The first index from `i` (up to `to`) that is not a space or tab. */
function skipBlanks(s: string, i: number, to: number): number {
  while (i < to && isBlank(s.charCodeAt(i))) i++;
  return i;
}
