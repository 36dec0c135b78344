/**
 * The diagram drawings the extension keeps for the visual editor's next page of a model (issue #10: a model opened
 * again draws at once). A page sends Mermaid's markup of each new drawing by its structure key (`keepDrawing`);
 * a new page of the same model gets the last few before its first view (`drawings`) and uses one only when the
 * structure, theme and layout it is about to draw have that key. The page treats them as it treats its own
 * webview state: parsed as XML and cleaned before use. Kept in memory; the VS Code extension also keeps them on disk
 * (src/vscode/drawingFiles.ts).
 */
import { KEPT_DRAWINGS_PER_MODEL } from './drawingLimits';

export interface KeptDrawing { key: string; svg: string }

export class DrawingStore {
  /** Per model (document URI), its drawings, oldest first; models in the order last used. */
  private readonly models = new Map<string, KeptDrawing[]>();

  constructor(
    private readonly maxModels = 20,
    private readonly maxPerModel = KEPT_DRAWINGS_PER_MODEL,
    /** Characters kept in all (a 50-element drawing is about 200,000). */
    private readonly maxChars = 8_000_000,
  ) {}

  /** Keeps a drawing of `model` as its most recent (the same key again replaces it). */
  keep(model: string, drawing: KeptDrawing): void {
    const list = (this.models.get(model) ?? []).filter(d => d.key !== drawing.key);
    list.push({ key: drawing.key, svg: drawing.svg });
    while (list.length > this.maxPerModel) list.shift();
    this.models.delete(model);
    this.models.set(model, list);
    this.trim();
  }

  /** The drawings kept for `model`, oldest first. */
  drawings(model: string): KeptDrawing[] {
    return [...(this.models.get(model) ?? [])];
  }

  /** Forgets every drawing (tests: as after a restart). */
  forget(): void {
    this.models.clear();
  }

  /** Characters kept in all. */
  get size(): number {
    let n = 0;
    for (const list of this.models.values()) for (const d of list) n += d.svg.length;
    return n;
  }

  /** Drops the least recently used models' drawings (oldest first) until the limits hold. */
  private trim(): void {
    while (this.models.size > this.maxModels) this.models.delete(this.models.keys().next().value!);
    let total = this.size;
    for (const [model, list] of this.models) {
      while (total > this.maxChars && list.length) total -= list.shift()!.svg.length;
      if (!list.length) this.models.delete(model);
      if (total <= this.maxChars) break;
    }
  }
}
