/**
 * OWASP Threat Dragon (v2 JSON; v1 `diagramJson` files are read too) -> Rampart model.
 *
 * | Threat Dragon | Rampart |
 * |---|---|
 * | `summary.title`, `summary.description`, `summary.owner`, `detail.contributors`, `detail.reviewer` | `title`, `description`, `team` (roles owner, contributor, reviewer) |
 * | cell `tm.Actor` / `tm.Process` / `tm.Store` | `elements` of type external / process / store; `data.name` -> `name`; store `isEncrypted` -> `encrypted`; `isALog` -> kind log-store; process `isWebApplication` -> kind web-app; `outOfScope` -> `scope.out` (reason as a comment); `storesCredentials`, `isSigned`, `handlesCardPayment`, `handlesGoodsOrServices` -> tags |
 * | cell `tm.Flow` | `flows`: `source.cell`/`target.cell` -> `from`/`to`; `protocol`; `isEncrypted` -> `encrypted`; `isBidirectional` -> `bidirectional`; `isPublicNetwork` -> tag public-network. An end that is a loose point (not attached to a cell) is attached to the nearest element within 50 px, with a comment; a flow with an end that cannot be attached is left out (noted) |
 * | cell `tm.BoundaryBox` | `boundaries`; an element belongs to the smallest box that contains its centre; a box inside another box gets it as `parent` |
 * | cell `tm.Boundary` (a curve) | `boundaries` without members (a curve does not say which side is inside; noted) |
 * | `data.threats[]` | `threats` targeting the cell's element or flow; `type` -> `stride` (CIA types: confidentiality -> information-disclosure, integrity -> tampering, availability -> denial-of-service); status per {@link THREAT_DRAGON_STATUS_MAP}; severity per {@link THREAT_DRAGON_SEVERITY_MAP}; `mitigation` text -> a mitigation entry (status implemented when the threat is Mitigated, Avoided or Eliminated, else proposed) |
 *
 * Not mapped: diagram geometry (Rampart computes its diagrams), styling, text blocks (kept as comments),
 * threat `score` and `number` (comments), and which diagram an element was on when a model has several.
 */
import {
  ModelBuilder, arr, clip, entries, isObject, listText, longText, num, oneLine, own, readInput, slugify, str, strideFrom, uniq,
  type ImportOptions, type ImportResult,
} from './common';
import { RectGrid, type Rect } from './geometry';
import type { ElementType, Impact, Likelihood, Stride, ThreatStatus, Trust } from '../model/schema';

/** Threat Dragon threat status -> Rampart threat status (Avoided and Eliminated carry a comment). */
export const THREAT_DRAGON_STATUS_MAP: Readonly<Record<string, ThreatStatus>> = {
  NotApplicable: 'not-applicable',
  Open: 'open',
  Mitigated: 'mitigated',
  Accepted: 'accepted',
  Transferred: 'transferred',
  Avoided: 'mitigated',
  Eliminated: 'mitigated',
};

/** Threat Dragon severity -> Rampart likelihood and impact (chosen so the default matrix gives the same level). */
export const THREAT_DRAGON_SEVERITY_MAP: Readonly<Record<string, { likelihood: Likelihood; impact: Impact }>> = {
  High: { likelihood: 'likely', impact: 'major' },
  Medium: { likelihood: 'possible', impact: 'moderate' },
  Low: { likelihood: 'unlikely', impact: 'minor' },
};

export const THREAT_DRAGON_ELEMENT_TYPE_MAP: Readonly<Record<string, ElementType>> = {
  'tm.Actor': 'external',
  'tm.Process': 'process',
  'tm.Store': 'store',
};

const SNAP_DISTANCE = 50;
/** Cell type from the shape, for cells that lack `data.type`. */
const SHAPE_TYPE: Readonly<Record<string, string>> = {
  actor: 'tm.Actor', process: 'tm.Process', store: 'tm.Store', flow: 'tm.Flow', 'trust-boundary-box': 'tm.BoundaryBox',
  'trust-boundary-curve': 'tm.Boundary', 'trust-broundary-curve': 'tm.Boundary', 'td-text-block': 'tm.Text',
};

interface Cell { id: string; type: string; data: Record<string, unknown>; raw: Record<string, unknown>; rect?: Rect; diagram: string }

function rectOf(raw: Record<string, unknown>): Rect | undefined {
  const p = isObject(raw.position) ? raw.position : undefined;
  const s = isObject(raw.size) ? raw.size : undefined;
  const x = num(p?.x), y = num(p?.y), w = num(s?.width), h = num(s?.height);
  if (x === undefined || y === undefined || w === undefined || h === undefined) return undefined;
  // A negative size (not written by Threat Dragon) is read as the rectangle it spans.
  return { x: Math.min(x, x + w), y: Math.min(y, y + h), w: Math.abs(w), h: Math.abs(h) };
}

const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
const contains = (r: Rect, px: number, py: number) => px >= r.x && px <= r.x + r.w && py >= r.y && py <= r.y + r.h;
const distance = (r: Rect, px: number, py: number) => Math.hypot(Math.max(r.x - px, 0, px - (r.x + r.w)), Math.max(r.y - py, 0, py - (r.y + r.h)));

function statusOf(word: string | undefined): { status: ThreatStatus; known: boolean } {
  if (!word) return { status: 'open', known: false };
  const w = word.length > 100 ? '' : word.replace(/[^a-z]/gi, '').toLowerCase();
  const key = Object.keys(THREAT_DRAGON_STATUS_MAP).find(k => k.toLowerCase() === w);
  if (key) return { status: THREAT_DRAGON_STATUS_MAP[key], known: true };
  if (/^n\/?a$/i.test(word)) return { status: 'not-applicable', known: true };
  return { status: 'open', known: false };
}

function strideOfType(type: string | undefined): Stride | undefined {
  const s = strideFrom(type);
  if (s) return s;
  const w = type?.toLowerCase().trim();
  return w === 'confidentiality' ? 'information-disclosure' : w === 'integrity' ? 'tampering' : w === 'availability' ? 'denial-of-service' : undefined;
}

function trustFromName(name: string): Trust {
  if (/internet|public (network|zone|internet)|external|untrusted|third.?party|customer|user/i.test(name)) return 'untrusted';
  if (/dmz|partner|perimeter/i.test(name)) return 'partial';
  return 'partial';
}

export function importThreatDragon(text: string, options: ImportOptions = {}): ImportResult {
  const readNotes: string[] = [];
  const src = readInput(text, 'threat-dragon', readNotes);
  const summary = isObject(src.summary) ? src.summary : {};
  const detail = isObject(src.detail) ? src.detail : {};
  const b = new ModelBuilder('threat-dragon', [
    `Imported from an OWASP Threat Dragon model (JSON${clip(src.version) ? `, version ${clip(src.version)}` : ''}) by \`rampart import --from threat-dragon\`.`,
    'Every entry keeps its Threat Dragon cell or threat id in `source_id`. Diagram geometry (positions, sizes,',
    'line shapes, colours) is not kept: Rampart computes its diagrams from the model.',
  ], options);
  readNotes.forEach(n => b.note(n));
  b.top.title = oneLine(summary.title) ?? 'Imported Threat Dragon model';
  const description = longText(summary.description);
  if (description) b.top.description = description;
  const team: { name: string; role: string }[] = [];
  if (oneLine(summary.owner)) team.push({ name: oneLine(summary.owner)!, role: 'owner' });
  for (const c of arr(detail.contributors)) {
    const name = oneLine(isObject(c) ? c.name : c);
    if (name) team.push({ name, role: 'contributor' });
  }
  if (oneLine(detail.reviewer)) team.push({ name: oneLine(detail.reviewer)!, role: 'reviewer' });
  if (team.length) b.top.team = team.slice(0, 500);

  // Read every cell of every diagram (v2: diagram.cells; v1: diagram.diagramJson.cells).
  const diagrams = arr(detail.diagrams).filter(isObject);
  if (diagrams.length > 1) b.note(`The model has ${diagrams.length} diagrams; their elements were merged into one model (diagram titles are in comments).`);
  const cells: Cell[] = [];
  let diagramIndex = 0;
  for (const d of diagrams) {
    const title = oneLine(d.title) ?? `Diagram ${diagramIndex + 1}`;
    diagramIndex++;
    const list = Array.isArray(d.cells) ? d.cells : isObject(d.diagramJson) ? arr(d.diagramJson.cells) : [];
    for (const raw of list) {
      if (!isObject(raw)) continue;
      const data = isObject(raw.data) ? raw.data : raw; // v1 keeps the properties on the cell itself
      const type = str(data.type) ?? str(raw.type) ?? own(SHAPE_TYPE, str(raw.shape)) ?? '';
      const id = str(raw.id);
      if (!id) continue;
      cells.push({ id, type, data, raw, rect: rectOf(raw), diagram: title });
    }
  }

  // Refuse at once what cannot fit in one model, before any work per cell.
  const countOf = (...types: string[]) => cells.reduce((n, c) => n + (types.includes(c.type) ? 1 : 0), 0);
  b.expect('elements', countOf(...Object.keys(THREAT_DRAGON_ELEMENT_TYPE_MAP)));
  b.expect('boundaries', countOf('tm.BoundaryBox', 'tm.Boundary'));
  b.expect('threats', cells.reduce((n, c) => n + arr(c.data.threats).filter(isObject).length, 0));

  // A cell's name, read once per cell (a cell's threats ask again, and its labels may be a long list).
  const names = new Map<Cell, string | undefined>();
  const readName = (c: Cell): string | undefined => {
    const attrs = isObject(c.raw.attrs) ? c.raw.attrs : {};
    const fromAttrs = ['text', 'label', 'headerText'].map(k => (isObject(attrs[k]) ? str((attrs[k] as Record<string, unknown>).text) : undefined)).find(Boolean);
    // Flow labels: v2 `labels[0].attrs.labelText.text`, v1 `labels[0].attrs.text.text`.
    const label = arr(c.raw.labels).find(isObject);
    const labelAttrs = label && isObject(label.attrs) ? label.attrs : {};
    const fromLabel = ['labelText', 'text'].map(k => (isObject(labelAttrs[k]) ? str((labelAttrs[k] as Record<string, unknown>).text) : undefined)).find(Boolean);
    return oneLine(c.data.name) ?? oneLine(fromAttrs) ?? oneLine(fromLabel);
  };
  const nameOf = (c: Cell): string | undefined => {
    if (!names.has(c)) names.set(c, readName(c));
    return names.get(c);
  };

  // Boundaries.
  const boxes: { cell: Cell; id: string; rect: Rect }[] = [];
  let unnamedBoundary = 0;
  for (const c of cells.filter(c => c.type === 'tm.BoundaryBox' || c.type === 'tm.Boundary')) {
    const name = nameOf(c) ?? `Trust boundary ${++unnamedBoundary}`;
    const id = b.ids.boundaries.take(slugify(nameOf(c) ?? ''), name);
    b.add('boundaries', id, { name, description: longText(c.data.description), trust: trustFromName(name), source_id: oneLine(c.id) });
    b.commentEntry('boundaries', id, `Threat Dragon has no trust levels: trust set to ${trustFromName(name)} from the name (review).`);
    if (c.type === 'tm.BoundaryBox' && c.rect) boxes.push({ cell: c, id, rect: c.rect });
    else {
      b.commentEntry('boundaries', id, 'A trust boundary line in Threat Dragon: which side is inside cannot be told, so no element is placed in it; set `boundary:` on the elements behind it.');
      b.note('Threat Dragon boundary lines (tm.Boundary) were imported as boundaries without members: set `boundary:` on the elements they enclose.');
    }
  }
  // The smallest box around a point (or a box): a box that holds a rectangle holds its top-left corner, so the
  // grid's candidates for that corner are all there is to test. Ties go to the box first in the file.
  const boxGrid = new RectGrid(boxes.map(box => box.rect));
  const area = (r: Rect) => r.w * r.h;
  const smallest = (px: number, py: number, fits: (o: (typeof boxes)[number]) => boolean) => {
    let best: (typeof boxes)[number] | undefined;
    for (const i of boxGrid.near(px, py)) {
      const o = boxes[i];
      if (fits(o) && (!best || area(o.rect) < area(best.rect))) best = o;
    }
    return best;
  };
  // Two boxes that hold each other (the same rectangle) are ordered by cell id, then by their order in the
  // file: cell ids are unique only within a diagram (a diagram that appears twice repeats them), and two boxes
  // that both allowed the other as parent made a cycle.
  const order = new Map(boxes.map((box, i) => [box, i]));
  const after = (o: (typeof boxes)[number], box: (typeof boxes)[number]) =>
    o.cell.id > box.cell.id || (o.cell.id === box.cell.id && order.get(o)! > order.get(box)!);
  for (const box of boxes) {
    const parent = smallest(box.rect.x, box.rect.y, o => o !== box && inside(box.rect, o.rect) && !(inside(o.rect, box.rect) && after(o, box)));
    if (parent) {
      const entry = b.sections.boundaries.get(box.id)!;
      b.add('boundaries', box.id, { ...entry, parent: parent.id });
    }
  }
  const boxOf = (r: Rect | undefined): string | undefined => {
    if (!r) return undefined;
    const cx = r.x + r.w / 2, cy = r.y + r.h / 2;
    return smallest(cx, cy, o => contains(o.rect, cx, cy))?.id;
  };

  // Elements.
  const cellIds = new Map<string, string>();
  const elementCells: { cell: Cell; id: string }[] = [];
  const scopeOut: string[] = [];
  for (const c of cells) {
    const type = own(THREAT_DRAGON_ELEMENT_TYPE_MAP, c.type);
    if (!type) continue;
    const fallback = { external: 'Unnamed actor', process: 'Unnamed process', store: 'Unnamed store' }[type];
    const name = nameOf(c) ?? fallback;
    const id = b.ids.elements.take(slugify(nameOf(c) ?? ''), fallback);
    cellIds.set(c.id, id);
    elementCells.push({ cell: c, id });
    const d = c.data;
    const tags = [
      d.storesCredentials === true && 'stores-credentials',
      d.isSigned === true && 'signed',
      d.handlesCardPayment === true && 'handles-card-payment',
      d.handlesGoodsOrServices === true && 'handles-goods-or-services',
      d.providesAuthentication === true && 'provides-authentication',
    ].filter((t): t is string => !!t);
    b.add('elements', id, {
      type,
      name,
      description: longText(d.description),
      kind: type === 'store' && d.isALog === true ? 'log-store' : type === 'process' && d.isWebApplication === true ? 'web-app' : undefined,
      boundary: boxOf(c.rect),
      encrypted: type === 'store' && typeof d.isEncrypted === 'boolean' ? d.isEncrypted : undefined,
      tags,
      source_id: oneLine(c.id),
    });
    if (d.outOfScope === true) {
      scopeOut.push(name);
      b.commentEntry('elements', id, `Out of scope in Threat Dragon${clip(d.reasonOutOfScope) ? `: ${clip(d.reasonOutOfScope)}` : ''}.`);
    }
    if (str(d.privilegeLevel)) b.commentEntry('elements', id, `Threat Dragon privilege level: ${clip(d.privilegeLevel)}.`);
    if (diagrams.length > 1) b.commentEntry('elements', id, `From the diagram "${c.diagram}".`);
  }

  // Flows.
  // The nearest element within SNAP_DISTANCE of a loose end (ties: the element last in the file).
  let elementGrid: RectGrid | undefined;
  const nearest = (x: number, y: number): { cell: Cell; id: string } | undefined => {
    elementGrid ??= new RectGrid(elementCells.map(e => e.cell.rect), SNAP_DISTANCE);
    let best: { cell: Cell; id: string } | undefined;
    let bestD = SNAP_DISTANCE;
    for (const i of elementGrid.near(x, y)) {
      const e = elementCells[i];
      const dd = distance(e.cell.rect!, x, y);
      if (dd <= bestD) { best = e; bestD = dd; }
    }
    return best;
  };
  const endOf = (end: unknown): { id?: string; snapped?: string } => {
    if (!isObject(end)) return {};
    const cellId = str(end.cell) ?? str(end.id);
    if (cellId) return { id: cellIds.get(cellId) };
    const x = num(end.x), y = num(end.y);
    if (x === undefined || y === undefined) return {};
    const hit = nearest(x, y);
    return hit ? { id: hit.id, snapped: nameOf(hit.cell) ?? hit.id } : {};
  };
  for (const c of cells.filter(c => c.type === 'tm.Flow')) {
    const d = c.data;
    const from = endOf(c.raw.source);
    const to = endOf(c.raw.target);
    const name = nameOf(c);
    if (!from.id || !to.id) {
      b.note(`The flow ${name ? `"${name}"` : clip(c.id, 100)} is not attached to an element at its ${!from.id ? 'source' : 'target'} (a loose end in the diagram); it was left out.`);
      continue;
    }
    const id = b.ids.flows.take(slugify(name ?? ''), `flow-${slugify(`${from.id}-to-${to.id}`)}`);
    cellIds.set(c.id, id);
    b.add('flows', id, {
      from: from.id,
      to: to.id,
      name,
      description: longText(d.description),
      protocol: oneLine(d.protocol, 64),
      encrypted: typeof d.isEncrypted === 'boolean' ? d.isEncrypted : undefined,
      bidirectional: d.isBidirectional === true ? true : undefined,
      tags: d.isPublicNetwork === true ? ['public-network'] : undefined,
      source_id: oneLine(c.id),
    });
    for (const [end, e] of [['source', from], ['target', to]] as const) {
      if (e.snapped) {
        b.commentEntry('flows', id, `The ${end} end was a loose point in Threat Dragon, next to "${e.snapped}": attached to it (check).`);
      }
    }
    if (d.outOfScope === true) {
      if (name) scopeOut.push(name);
      b.commentEntry('flows', id, `Out of scope in Threat Dragon${clip(d.reasonOutOfScope) ? `: ${clip(d.reasonOutOfScope)}` : ''}.`);
    }
  }
  if (scopeOut.length) b.top.scope = { out: uniq(scopeOut) };

  // Text blocks become comments on the title.
  for (const c of cells.filter(c => c.type === 'tm.Text')) {
    const t = str(c.data.name) ?? nameOf(c);
    if (t) b.commentSection('title', `Threat Dragon text block: ${t.replace(/\s+/g, ' ').slice(0, 500)}`);
  }
  const other = cells.filter(c => !['tm.Actor', 'tm.Process', 'tm.Store', 'tm.Flow', 'tm.Boundary', 'tm.BoundaryBox', 'tm.Text'].includes(c.type));
  if (other.length) b.note(`${other.length} Threat Dragon cells of other types (${listText(uniq(other.map(c => c.type || 'untyped')), 10)}) were left out.`);

  // Threats.
  for (const c of cells) {
    const threats = arr(c.data.threats);
    if (threats.length === 0) continue;
    const target = cellIds.get(c.id);
    for (const raw of threats) {
      if (!isObject(raw)) continue;
      const title = oneLine(raw.title) ?? 'Untitled threat';
      const id = b.ids.threats.take(slugify(title), 'threat');
      const statusWord = str(raw.status);
      const { status, known } = statusOf(statusWord);
      const severity = str(raw.severity);
      const sevKey = Object.keys(THREAT_DRAGON_SEVERITY_MAP).find(k => k.toLowerCase() === severity?.toLowerCase());
      const rating = sevKey ? THREAT_DRAGON_SEVERITY_MAP[sevKey] : undefined;
      const stride = strideOfType(str(raw.type));
      let mitigations: string[] | undefined;
      const mitigationText = longText(raw.mitigation);
      if (mitigationText) {
        const mid = b.ids.mitigations.take(slugify(`${title}-mitigation`), 'mitigation');
        const implemented = status === 'mitigated';
        b.add('mitigations', mid, {
          title: oneLine(mitigationText.split('\n')[0]) ?? title,
          description: mitigationText.includes('\n') || mitigationText.length > 200 ? mitigationText : undefined,
          status: implemented ? 'implemented' : 'proposed',
          source_id: oneLine(str(raw.id) ?? str(raw.threatId)),
        });
        b.commentEntry('mitigations', mid, `From the mitigation text of the Threat Dragon threat "${title}" (source_id is that threat's id); status ${implemented ? `implemented because the threat is ${statusWord}` : 'proposed'}.`);
        mitigations = [mid];
      }
      b.add('threats', id, {
        title,
        description: longText(raw.description),
        stride: stride ? [stride] : undefined,
        targets: target ? [target] : undefined,
        likelihood: rating?.likelihood,
        impact: rating?.impact,
        status,
        mitigations,
        source_id: oneLine(str(raw.id) ?? str(raw.threatId)),
      });
      if (!target) b.commentEntry('threats', id, `Its Threat Dragon cell (${clip(c.type, 100) ?? 'unknown'} "${nameOf(c) ?? clip(c.id, 100)}") was not imported, so it has no target.`);
      if (statusWord === 'Avoided' || statusWord === 'Eliminated') b.commentEntry('threats', id, `Threat Dragon status ${statusWord}: imported as mitigated.`);
      else if (!known) b.commentEntry('threats', id, `Threat Dragon status "${clip(statusWord, 100) ?? 'missing'}" is unknown; imported as open.`);
      if (severity && !rating) b.commentEntry('threats', id, `Threat Dragon severity "${clip(severity, 100)}" is unknown; likelihood and impact left unset.`);
      if (str(raw.type) && !stride) b.commentEntry('threats', id, `Threat Dragon threat type "${clip(raw.type)}"${clip(raw.modelType) ? ` (${clip(raw.modelType)})` : ''} has no STRIDE category.`);
      if (str(raw.score)) b.commentEntry('threats', id, `Threat Dragon score: ${clip(raw.score)}.`);
    }
  }

  for (const [k] of entries(src)) {
    if (!['version', 'summary', 'detail'].includes(k)) b.note(`The top-level key "${oneLine(k, 100)}" of the Threat Dragon file was left out.`);
  }
  return b.result();
}
