/**
 * `rampart check` and the code (#13): the annotations in the repository's source comments, the text of the files
 * evidence names (line ranges, symbols), what git says since an element's review, and where a missing evidence
 * file went. Read for a model only when its parsed model shows it matters (an implemented mitigation without
 * evidence, an anchored or missing evidence entry, a review commit); either way a model is analysed once.
 *
 * Everything stays inside the model's repository (src/node/evidence.ts): evidence through `existsInside`, the
 * annotation walk below the root without following links out, git with fixed arguments (src/node/git.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { missingEvidence } from '../core/rules/risk/evidencePaths';
import type { AnalysisSettings } from '../core/types';
import { searchesDir } from '../core/discover/candidates';
import type { Model } from '../core/model/schema';
import { annotationFindings, type AnnotationFinding } from '../core/rules/trace/index';
import { ANNOTATION_LIMITS, dirOfFile, ownerDirs, isScannableName, looksBinary, mayHoldAnnotations, rebaseAnnotations, scanAnnotations, traceNeeds, type Annotation, type ReviewStatus, type Trace } from '../core/trace/index';
import { existsInside, insideRepository, repositoryRoot } from '../node/evidence';

const MAX_VISITED = 100_000;
const MAX_SCANNED_BYTES = 256 * 1024 * 1024;
const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;

const posix = (p: string) => p.split(path.sep).join('/');

interface RepoFiles {
  /** Annotations with repository-relative paths. */
  annotations: Annotation[];
  /** Every file seen (repository-relative), for "a file of the same name elsewhere". */
  files: string[];
  /** The folders holding threat models (repository-relative, '' for the root). */
  modelDirs: string[];
  truncated: boolean;
}

/**
 * Whether a model's analysis could change with its trace, decided from the parsed model before it is analysed:
 * an evidence file that is missing (where did it go?), an implemented mitigation without evidence while the
 * repository has annotations, an anchored evidence entry (`#L10-L20`, `#symbol`), or a review commit.
 */
export function wantsTrace(model: Model, evidence: Pick<AnalysisSettings, 'fileExists' | 'modelDirInRepo'>, annotationsExist: boolean): boolean {
  if (traceNeeds(model).reviews.length > 0) return true;
  for (const m of Object.values(model.mitigations ?? {})) {
    const list = m.evidence ?? [];
    if (list.some(ev => ev.includes('#'))) return true;
    if (annotationsExist && (m.status === 'implemented' || m.status === 'verified') && list.length === 0) return true;
  }
  return !missingEvidence(model.mitigations, evidence).next().done;
}

export class RepoTrace {
  private readonly repos = new Map<string, RepoFiles>();
  /** Per repository root: the models checked in it (their ids are what annotations may name). */
  readonly models = new Map<string, { dir: string; model: Model }[]>();

  /** The repository of a model file. */
  rootOf(modelFile: string): string {
    return repositoryRoot(path.dirname(path.resolve(modelFile)));
  }

  /** The annotations and files of a repository, walked once. */
  repo(root: string): RepoFiles {
    let r = this.repos.get(root);
    if (r) return r;
    r = { annotations: [], files: [], modelDirs: [], truncated: false };
    let visited = 0;
    let bytes = 0;
    const walk = (dir: string) => {
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (++visited > MAX_VISITED || bytes > MAX_SCANNED_BYTES) { r!.truncated = true; return; }
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) { if (searchesDir(e.name)) walk(abs); continue; }
        if (!e.isFile()) continue; // links are not followed
        const rel = posix(path.relative(root, abs));
        r!.files.push(rel);
        if (/\.threatmodel\.ya?ml$/i.test(e.name)) r!.modelDirs.push(dirOfFile(rel));
        if (!isScannableName(e.name)) continue;
        let text: string;
        try {
          if (fs.statSync(abs).size > ANNOTATION_LIMITS.fileSize) continue;
          const content = fs.readFileSync(abs);
          if (looksBinary(content)) continue;
          text = content.toString('utf8');
        } catch { continue; }
        bytes += text.length;
        if (mayHoldAnnotations(text)) r!.annotations.push(...scanAnnotations(rel, text));
      }
    };
    walk(root);
    this.repos.set(root, r);
    return r;
  }

  /** The trace of a model (paths relative to its folder), reading its evidence files and asking git. */
  async traceFor(modelFile: string, model: Model, fileExists?: AnalysisSettings['fileExists']): Promise<Trace> {
    const dir = path.dirname(path.resolve(modelFile));
    const root = this.rootOf(modelFile);
    const inRepo = posix(path.relative(root, dir));
    const toModel = (repoRel: string) => posix(path.relative(dir, path.join(root, ...repoRel.split('/')))) || '.';
    const toRepo = (modelRel: string) => posix(path.relative(root, path.resolve(dir, modelRel)));
    const repo = this.repo(root);
    const needs = traceNeeds(model, inRepo);
    const evidence: Record<string, string | null> = {};
    const missing: string[] = [];
    for (const f of needs.evidenceFiles) {
      const abs = path.resolve(dir, f);
      // the check's own `fileExists` where it gives one: the rules ask about the same files (asked once each)
      const there = fileExists ? fileExists(f) : existsInside(root, abs);
      if (there === false) missing.push(f);
      if (there !== true) continue;
      try {
        const st = fs.statSync(abs);
        evidence[f] = st.isFile() && st.size <= MAX_EVIDENCE_BYTES ? fs.readFileSync(abs, 'utf8') : null;
      } catch { evidence[f] = null; }
    }
    // the annotations this model answers for: those whose nearest model folder is its own (src/core/trace/owners.ts)
    const mine = dirOfFile(posix(path.relative(root, path.resolve(modelFile))));
    const owned = repo.modelDirs.length > 1 ? repo.annotations.filter(a => ownerDirs(repo.modelDirs, a.file).includes(mine)) : repo.annotations;
    const trace: Trace = { annotations: rebaseAnnotations(owned, toModel), evidence };
    // Moved evidence is looked for in git's history only inside a repository (outside one, git can only fail).
    const renamesFromGit = missing.length > 0 && insideRepository(dir);
    const wantsGit = needs.reviews.length > 0 || renamesFromGit;
    const git = wantsGit ? await import('../node/git') : undefined;
    if (git && needs.reviews.length) {
      const reviews: Record<string, ReviewStatus> = {};
      for (const r of needs.reviews) {
        const res = await git.changesSince(root, r.commit, r.code.map(toRepo));
        reviews[r.element] = res.ok
          ? { commit: r.commit, changes: res.value.map(c => ({ commit: c.commit, date: c.date, subject: c.subject, files: c.files.map(toModel) })) }
          : { commit: r.commit, error: res.error };
      }
      trace.reviews = reviews;
    }
    if (missing.length) {
      const moved: Record<string, string[]> = {};
      // one batch for all of them: a model naming hundreds of missing files costs a few git runs
      const renames = git && renamesFromGit ? await git.renamesOfMany(root, missing.map(toRepo)) : undefined;
      for (const f of missing) {
        const out: string[] = [];
        const renamed = renames?.ok ? renames.value.get(toRepo(f)) ?? [] : [];
        out.push(...renamed.filter(p => fs.existsSync(path.join(root, p))).map(toModel));
        const base = f.split('/').pop()!;
        for (const p of repo.files) if (p.split('/').pop() === base) out.push(toModel(p));
        moved[f] = [...new Set(out)].filter(p => p !== f);
      }
      trace.moved = moved;
    }
    return trace;
  }

  /** Remembers a checked model under its repository (for the annotation findings). */
  checked(modelFile: string, model: Model): void {
    const root = this.rootOf(modelFile);
    const list = this.models.get(root) ?? [];
    list.push({ dir: dirOfFile(posix(path.relative(root, path.resolve(modelFile)))), model });
    this.models.set(root, list);
  }

  /**
   * Annotations naming ids that the models answering for their file do not have, with absolute file paths.
   * An annotation whose models were not all checked is not judged (a subset of the models was asked for).
   */
  annotationFindings(): { file: string; finding: AnnotationFinding }[] {
    const out: { file: string; finding: AnnotationFinding }[] = [];
    for (const [root, checked] of this.models) {
      const repo = this.repos.get(root);
      if (!repo) continue;
      const dirs = repo.modelDirs.length ? repo.modelDirs : checked.map(c => c.dir);
      for (const a of repo.annotations) {
        const owners = ownerDirs(dirs, a.file);
        const models = checked.filter(c => owners.includes(c.dir)).map(c => c.model);
        const expected = repo.modelDirs.filter(d => owners.includes(d)).length;
        if (!models.length || models.length < expected) continue;
        for (const f of annotationFindings([a], models)) out.push({ file: path.join(root, ...a.file.split('/')), finding: f });
      }
    }
    return out;
  }
}
