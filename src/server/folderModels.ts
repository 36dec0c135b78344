/**
 * The threat models of a workspace folder, analysed: the open ones at their current version (the document
 * store's cached analysis), the others from disk (analysed once per size and modification time). What the
 * annotations of source files are checked and resolved against.
 */
import { promises as fsp } from 'node:fs';
import { analyze, type Analysis } from '../core/analyze';
import type { ServerContext } from './context';
import { textPositions, type PositionMapper } from './convert';
import { pathToUri } from './fileIndex';

export interface FolderModel {
  uri: string;
  analysis: Analysis;
  positions: PositionMapper;
}

const fromDisk = new Map<string, { key: string; model: FolderModel }>();
const MAX_MODEL_BYTES = 16 * 1024 * 1024;

/** The analysed models of the folder `root` (absolute path). */
export async function folderModels(ctx: ServerContext, root: string): Promise<FolderModel[]> {
  const listing = await ctx.files.listing(root);
  const out: FolderModel[] = [];
  for (const file of listing.models) {
    const uri = pathToUri(file);
    const open = ctx.documents.analysisOf(uri);
    if (open) {
      try {
        const snap = await open;
        out.push({ uri, analysis: snap.analysis, positions: snap.doc });
      } catch { /* changed meanwhile: its next analysis counts */ }
      continue;
    }
    try {
      const st = await fsp.stat(file);
      if (!st.isFile() || st.size > MAX_MODEL_BYTES) continue;
      const key = `${st.size}:${st.mtimeMs}`;
      const hit = fromDisk.get(file);
      if (hit?.key === key) { out.push(hit.model); continue; }
      const text = await fsp.readFile(file, 'utf8');
      const model = { uri, analysis: analyze(text, { maxFileSize: MAX_MODEL_BYTES }), positions: textPositions(uri, text) };
      if (fromDisk.size > 200) fromDisk.clear();
      fromDisk.set(file, { key, model });
      out.push(model);
    } catch { /* gone or unreadable */ }
  }
  return out;
}
