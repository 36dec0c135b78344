/**
 * The kept diagram drawings (src/shared/drawingStore.ts) on disk, in the extension's storage for the workspace
 * (`context.storageUri`, never the repository): a model's visual editor opened after VS Code restarted draws at
 * once too. One JSON file per model (named by a hash of its URI), written a little after its drawings change, read
 * before the first view of a page of that model when none are in memory, checked with the protocol's schema (the
 * page cleans them again before use), and the files of the models used least recently removed past a number.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import type { DrawingStore } from '../shared/drawingStore';
import { parseToWebview } from '../shared/protocol';
import { DRAWING_KEY_MAX, DRAWING_MAX_CHARS, KEPT_DRAWINGS_PER_MODEL } from '../shared/drawingLimits';

const WRITE_DELAY_MS = 2000;
const MAX_FILES = 20;
/** Three drawings at their largest, as JSON. */
const MAX_FILE_BYTES = KEPT_DRAWINGS_PER_MODEL * (DRAWING_MAX_CHARS + DRAWING_KEY_MAX) * 2;

export class DrawingFiles implements vscode.Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Models whose file was read (or found missing) in this session. */
  private readonly read = new Set<string>();

  constructor(private readonly dir: vscode.Uri | undefined, private readonly store: DrawingStore, private readonly log: vscode.LogOutputChannel) {}

  private fileOf(model: string): vscode.Uri {
    return vscode.Uri.joinPath(this.dir!, `${createHash('sha256').update(model).digest('hex').slice(0, 32)}.json`);
  }

  /** A drawing of `model` was kept: its file is written a little later (the last of a burst of redraws). */
  changed(model: string): void {
    if (!this.dir) return;
    this.read.add(model); // what is in memory is newer than the file
    clearTimeout(this.timers.get(model));
    this.timers.set(model, setTimeout(() => {
      this.timers.delete(model);
      void this.write(model);
    }, WRITE_DELAY_MS));
  }

  /** Before a page's first view: the model's drawings from its file, when there are none in memory. */
  async load(model: string): Promise<void> {
    if (!this.dir || this.read.has(model) || this.store.drawings(model).length) return;
    this.read.add(model);
    let raw: Uint8Array;
    try {
      raw = await vscode.workspace.fs.readFile(this.fileOf(model));
    } catch {
      return; // none yet
    }
    if (raw.byteLength > MAX_FILE_BYTES) return; // not one of ours
    try {
      const parsed = JSON.parse(new TextDecoder().decode(raw)) as { model?: unknown; drawings?: unknown };
      const message = parsed?.model === model ? parseToWebview({ type: 'drawings', drawings: parsed.drawings }) : undefined;
      if (message?.type !== 'drawings') return;
      // only if none arrived in the meantime
      if (!this.store.drawings(model).length) for (const d of message.drawings) this.store.keep(model, d);
    } catch (e) {
      this.log.warn(`visual editor: ignored a damaged file of kept drawings (${(e as Error).message})`);
    }
  }

  private async write(model: string): Promise<void> {
    const dir = this.dir!;
    try {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(this.fileOf(model), new TextEncoder().encode(JSON.stringify({ model, drawings: this.store.drawings(model) })));
      const files = (await vscode.workspace.fs.readDirectory(dir)).filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.json'));
      if (files.length <= MAX_FILES) return;
      const dated = await Promise.all(files.map(async ([name]) => {
        const uri = vscode.Uri.joinPath(dir, name);
        return { uri, mtime: (await vscode.workspace.fs.stat(uri)).mtime };
      }));
      dated.sort((a, b) => a.mtime - b.mtime);
      for (const f of dated.slice(0, dated.length - MAX_FILES)) await vscode.workspace.fs.delete(f.uri);
    } catch (e) {
      this.log.warn(`visual editor: could not keep the diagram's drawings on disk (${(e as Error).message})`);
    }
  }

  /** Forgets which files were read (tests: as after a restart). */
  forget(): void {
    this.read.clear();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
