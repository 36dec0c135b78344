/**
 * The options every fix of an open model is computed with (quick fixes, the properties panel's buttons): the
 * day and the acceptance period, and "Add to model" against the discovery of the model's workspace folder.
 */
import { addToModel } from '../core/discover/drift';
import type { FixOptions } from '../core/edit/fixes';
import type { ServerContext } from './context';
import { uriToPath } from './fileIndex';

export async function fixOptions(ctx: ServerContext, uri: string): Promise<FixOptions> {
  const settings = await ctx.settings.forUri(uri);
  const file = uriToPath(uri);
  const discovery = file && settings.discoverEnabled ? ctx.discovery.current(file) : undefined;
  return { now: new Date(), acceptanceDays: settings.acceptanceDays, addDiscovered: (text, fix) => addToModel(text, fix, discovery) };
}
