/**
 * The visual editor's view as a delta against the view the webview already holds (#17, P5).
 *
 * The view of a 2,000-component model is 1.8 MB of JSON, and every update crosses the extension host twice
 * (from the server, then to the webview), on the editor's thread. Typing in a threat's title changes one row of
 * it. So the server keeps, for the last few views it built, their JSON text cut into parts (`encodeJson`):
 * objects by key, down to `MAX_DEPTH`, and arrays by item. The next view is sent as the parts that differ
 * (`deltaText`), which the webview applies to the view it holds (`applyDelta`):
 *
 * - `{"v": value}`: the value, whole;
 * - `{"o": {key: delta, ...}, "k": [keys]}`: an object whose listed keys changed; `k`, the new list of keys in
 *   order, only when keys were added, removed or reordered; every other key keeps its value;
 * - `{"a": [[start, count] | {"v": [items]}, ...]}`: an array made of runs of the held array's items and of
 *   new items, in order.
 *
 * Applying a delta gives a value deeply equal to the new view, key order included (a test compares them on
 * random edits); unchanged parts are the held objects themselves, which the webview never mutates. Nothing here
 * trusts the delta's shape: a malformed one throws, and the webview then asks for the whole view.
 */

/** A JSON value cut into parts: a leaf's JSON text, an object's keys and parts, or an array's items' JSON texts. */
export type Encoded = string | EncodedObject | EncodedArray;
export interface EncodedObject { keys: string[]; values: Encoded[] }
export interface EncodedArray { items: string[] }

/** Objects are cut by key down to this depth (the view, its sections, their fields); arrays always by item. */
const MAX_DEPTH = 3;

const isEncodedArray = (e: Encoded): e is EncodedArray => typeof e === 'object' && 'items' in e;
const isEncodedObject = (e: Encoded): e is EncodedObject => typeof e === 'object' && 'keys' in e;

/** `value` cut into parts; undefined where JSON.stringify would leave the value out. */
export function encodeJson(value: unknown, depth = 0): Encoded | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    if (Array.isArray(value)) return { items: value.map(v => JSON.stringify(v) ?? 'null') };
    if (depth < MAX_DEPTH) {
      const keys: string[] = [];
      const values: Encoded[] = [];
      for (const key of Object.keys(value)) {
        const part = encodeJson((value as Record<string, unknown>)[key], depth + 1);
        if (part === undefined) continue;
        keys.push(key);
        values.push(part);
      }
      return { keys, values };
    }
  }
  return JSON.stringify(value) as string | undefined;
}

/** The JSON text of an encoded value: exactly `JSON.stringify` of the value it was made from. */
export function encodedText(e: Encoded): string {
  if (typeof e === 'string') return e;
  if (isEncodedArray(e)) return `[${e.items.join(',')}]`;
  const parts: string[] = [];
  for (let i = 0; i < e.keys.length; i++) parts.push(`${JSON.stringify(e.keys[i])}:${encodedText(e.values[i])}`);
  return `{${parts.join(',')}}`;
}

const whole = (e: Encoded) => `{"v":${encodedText(e)}}`;

/** The JSON text of the delta that turns `base` into `next`, or undefined when they are the same. */
export function deltaText(base: Encoded, next: Encoded): string | undefined {
  if (typeof next === 'string') return base === next ? undefined : `{"v":${next}}`;
  if (isEncodedArray(next)) return isEncodedArray(base) ? arrayDelta(base.items, next.items) : whole(next);
  if (!isEncodedObject(base)) return whole(next);
  const at = new Map<string, number>();
  base.keys.forEach((k, i) => at.set(k, i));
  const parts: string[] = [];
  for (let i = 0; i < next.keys.length; i++) {
    const j = at.get(next.keys[i]);
    const d = j === undefined ? whole(next.values[i]) : deltaText(base.values[j], next.values[i]);
    if (d !== undefined) parts.push(`${JSON.stringify(next.keys[i])}:${d}`);
  }
  const sameKeys = base.keys.length === next.keys.length && base.keys.every((k, i) => k === next.keys[i]);
  if (!parts.length && sameKeys) return undefined;
  return `{"o":{${parts.join(',')}}${sameKeys ? '' : `,"k":${JSON.stringify(next.keys)}`}}`;
}

/**
 * An array as runs of the held items (found by their JSON text) and new items. The common prefix and suffix are
 * taken first; in between, a held item is looked up by its text, so moved and inserted rows cost their position
 * only. When that is no shorter than the array itself, the array is sent whole.
 */
function arrayDelta(base: string[], next: string[]): string | undefined {
  const n = Math.min(base.length, next.length);
  let prefix = 0;
  while (prefix < n && base[prefix] === next[prefix]) prefix++;
  if (prefix === base.length && prefix === next.length) return undefined;
  let suffix = 0;
  while (suffix < n - prefix && base[base.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  const baseEnd = base.length - suffix;
  const nextEnd = next.length - suffix;

  const runs: string[] = [];
  let runStart = 0;
  let runLength = prefix;
  let fresh: string[] = [];
  const endRun = () => {
    if (runLength) runs.push(`[${runStart},${runLength}]`);
    runLength = 0;
  };
  const endFresh = () => {
    if (fresh.length) runs.push(`{"v":[${fresh.join(',')}]}`);
    fresh = [];
  };
  let held: Map<string, number> | undefined;
  for (let j = prefix; j < nextEnd; j++) {
    const item = next[j];
    if (runLength && runStart + runLength < base.length && base[runStart + runLength] === item) {
      runLength++;
      continue;
    }
    if (!held) {
      held = new Map();
      for (let i = baseEnd - 1; i >= prefix; i--) held.set(base[i], i);
    }
    const i = held.get(item);
    endRun();
    if (i === undefined) {
      fresh.push(item);
    } else {
      endFresh();
      runStart = i;
      runLength = 1;
    }
  }
  if (suffix && runLength && runStart + runLength === baseEnd) {
    runLength += suffix;
    suffix = 0;
  }
  endRun();
  endFresh();
  if (suffix) runs.push(`[${baseEnd},${suffix}]`);
  const delta = `{"a":[${runs.join(',')}]}`;
  let full = 2 + next.length;
  for (const item of next) full += item.length;
  return delta.length < full + 6 ? delta : `{"v":[${next.join(',')}]}`;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets an own, enumerable property (a key named `__proto__` stays a key, as JSON.parse makes it). */
function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value `delta` (parsed from `deltaText`) makes of `base`; throws on a delta that does not fit `base`. */
export function applyDelta(base: unknown, delta: unknown): unknown {
  if (!isRecord(delta)) throw new Error('a delta is an object');
  if (own(delta, 'v')) return delta.v;
  if (own(delta, 'a')) {
    const runs = delta.a;
    if (!Array.isArray(base) || !Array.isArray(runs)) throw new Error('an array delta applies to an array');
    const out: unknown[] = [];
    for (const run of runs) {
      if (Array.isArray(run)) {
        const [start, count] = run as unknown[];
        if (!Number.isInteger(start) || !Number.isInteger(count) || (start as number) < 0 || (count as number) < 1 || (start as number) + (count as number) > base.length) {
          throw new Error('an array run is outside the held array');
        }
        for (let i = start as number; i < (start as number) + (count as number); i++) out.push(base[i]);
      } else if (isRecord(run) && Array.isArray(run.v)) {
        for (const item of run.v) out.push(item);
      } else {
        throw new Error('an array run is [start, count] or {"v": [items]}');
      }
    }
    return out;
  }
  if (own(delta, 'o')) {
    const changed = delta.o;
    if (!isRecord(base) || !isRecord(changed)) throw new Error('an object delta applies to an object');
    const keys = own(delta, 'k') ? delta.k : Object.keys(base);
    if (!Array.isArray(keys) || !keys.every(k => typeof k === 'string')) throw new Error('an object delta\'s keys are strings');
    const out: Record<string, unknown> = {};
    for (const key of keys as string[]) {
      if (own(changed, key)) define(out, key, applyDelta(own(base, key) ? base[key] : undefined, changed[key]));
      else if (own(base, key)) define(out, key, base[key]);
      else throw new Error(`an object delta keeps a key the held object does not have (${key.slice(0, 40)})`);
    }
    return out;
  }
  throw new Error('a delta is {"v"}, {"o"} or {"a"}');
}
