/**
 * Point queries over many rectangles (Threat Dragon boundary boxes and element shapes) without comparing every
 * point with every rectangle: a uniform grid of buckets, each listing the rectangles that overlap it.
 *
 * The grid only narrows the search: `near` returns every rectangle that may hold the point (a superset), and
 * the caller applies its exact test, so the answers are those of a search over all rectangles. A rectangle
 * that would cover too many buckets (or lies at coordinates too large to bucket) is kept in a short list that
 * every query reads; with the importer's caps (at most `LIMITS.entries` boxes and elements) the worst case
 * stays bounded, and ordinary diagrams read a handful of rectangles per query.
 *
 * Pure: no `vscode`, no Node built-ins.
 */

export interface Rect { x: number; y: number; w: number; h: number }

/** Buckets a rectangle may cover before it goes to the list read by every query. */
const MAX_BUCKETS = 64;
/** Bucket coordinates beyond this are not used (floating point would merge neighbouring buckets). */
const MAX_BUCKET_INDEX = 2 ** 40;

export class RectGrid {
  private readonly size: number;
  private readonly buckets = new Map<string, number[]>();
  /** Rectangles read by every query, ascending. */
  private readonly wide: number[] = [];

  /**
   * @param rects the rectangles (undefined ones are never returned), indexed by position
   * @param margin how far outside a rectangle a point may be and still be returned
   */
  constructor(rects: readonly (Rect | undefined)[], margin = 0) {
    // A bucket as wide as the median rectangle (with its margin): a typical rectangle covers 2x2 buckets.
    const sides: number[] = [];
    for (const r of rects) if (r) sides.push(Math.max(Math.abs(r.w), Math.abs(r.h)) + 2 * margin);
    sides.sort((a, b) => a - b);
    const median = sides.length ? sides[sides.length >> 1] : 1;
    this.size = Number.isFinite(median) && median >= 1 ? median : 1;
    rects.forEach((r, i) => {
      if (!r) return;
      // One bucket of slack on every side: rounding at a bucket edge can never lose a rectangle.
      const x0 = this.cell(Math.min(r.x, r.x + r.w) - margin) - 1;
      const x1 = this.cell(Math.max(r.x, r.x + r.w) + margin) + 1;
      const y0 = this.cell(Math.min(r.y, r.y + r.h) - margin) - 1;
      const y1 = this.cell(Math.max(r.y, r.y + r.h) + margin) + 1;
      const inRange = [x0, x1, y0, y1].every(c => Number.isSafeInteger(c) && Math.abs(c) <= MAX_BUCKET_INDEX);
      if (!inRange || (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_BUCKETS) {
        this.wide.push(i);
        return;
      }
      for (let gx = x0; gx <= x1; gx++) {
        for (let gy = y0; gy <= y1; gy++) {
          const key = `${gx},${gy}`;
          const list = this.buckets.get(key);
          if (list) list.push(i);
          else this.buckets.set(key, [i]);
        }
      }
    });
  }

  private cell(v: number): number {
    return Math.floor(v / this.size);
  }

  /** Indices (ascending) of every rectangle whose area grown by the margin may hold the point. */
  near(px: number, py: number): number[] {
    const gx = this.cell(px), gy = this.cell(py);
    // A point beyond the bucketed range can only be near rectangles of the wide list.
    const inRange = Number.isSafeInteger(gx) && Number.isSafeInteger(gy) && Math.abs(gx) < MAX_BUCKET_INDEX && Math.abs(gy) < MAX_BUCKET_INDEX;
    const list = inRange ? this.buckets.get(`${gx},${gy}`) ?? [] : [];
    if (this.wide.length === 0) return list;
    if (list.length === 0) return this.wide;
    const out: number[] = [];
    let i = 0, j = 0;
    while (i < list.length || j < this.wide.length) {
      if (j >= this.wide.length || (i < list.length && list[i] < this.wide[j])) out.push(list[i++]);
      else out.push(this.wide[j++]);
    }
    return out;
  }
}
