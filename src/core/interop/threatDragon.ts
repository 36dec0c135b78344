/**
 * OWASP Threat Dragon (v2 JSON; v1 `diagramJson` files are read too) -> Rampart model.
 *
 * | Threat Dragon | Rampart |
 * |---|---|
 * | `summary.title`, `summary.description`, `summary.owner`, `detail.contributors`, `detail.reviewer` | `title`, `description`, `team` (roles owner, contributor, reviewer) |
 * | diagram `description` | `scope.dataflow` (several diagrams: one paragraph each, headed by the diagram title) |
 * | cell `tm.Actor` / `tm.Process` / `tm.Store` | `elements` of type external / process / store; `data.name` -> `name`; store `isEncrypted` -> `encrypted`; `isALog` -> kind log-store; process `isWebApplication` -> kind web-app; `privilegeLevel` -> tag `privilege-level:<text>` (and `privileged: true` when it reads as elevated: root, admin, system, ...); `storesCredentials`, `storesInventory`, `isSigned`, `handlesCardPayment`, `handlesGoodsOrServices`, `providesAuthentication` -> tags |
 * | `outOfScope`, `reasonOutOfScope` (elements and flows) | `out_of_scope: true`; the reason is appended to `description` as a last paragraph `Out of scope: <reason>` |
 * | cell `tm.Flow` | `flows`: `source.cell`/`target.cell` -> `from`/`to`; `protocol`; `isEncrypted` -> `encrypted`; `isBidirectional` -> `bidirectional`; `isPublicNetwork` -> tag public-network. An end that is a loose point (not attached to a cell) is attached to the nearest element within 50 px, with a comment; a flow with an end that cannot be attached is left out (noted; its threats are kept without a target) |
 * | cell `tm.BoundaryBox` | `boundaries`; an element belongs to the smallest box that contains its centre; a box inside another box gets it as `parent` |
 * | cell `tm.Boundary` (a trust boundary line, `trust-boundary-curve`) | not a boundary (a line encloses no elements): kept in a note with its name and end points |
 * | `data.threats[]` | `threats` targeting the cell's element or flow (threats of other cells, such as text blocks and boundary boxes, have no target); `id` -> `source_id`; `type` -> `stride` (CIA types: confidentiality -> information-disclosure, integrity -> tampering, availability -> denial-of-service); a `type` of another `modelType` (LINDDUN, CIA, DIE, PLOT4ai) or with no STRIDE category -> tag `<modelType>:<type>`; status per {@link THREAT_DRAGON_STATUS_MAP} (Avoided and Eliminated add the tag avoided / eliminated); severity per {@link THREAT_DRAGON_SEVERITY_MAP} (TBA: unrated); `score` -> `cvss` when it is a valid CVSS vector, else tag `score:<score>`; `mitigation` text -> a mitigation entry (first line the title, the rest the description; status implemented when the threat is Mitigated, Avoided or Eliminated, else proposed) |
 *
 * Not mapped: diagram geometry (Rampart computes its diagrams), styling, text blocks (kept as comments), trust
 * boundary lines (a note), threat `number` and `summary.id` (comments), which diagram an element was on when a
 * model has several (comments), and diagram titles and types (comments).
 */
import {
  ModelBuilder, arr, clip, entries, isObject, listText, longText, num, oneLine, own, readInput, slugify, str, strideFrom, uniq,
  type ImportOptions, type ImportResult,
} from './common';
import { RectGrid, type Rect } from './geometry';
import { LIMITS, type ElementType, type Impact, type Likelihood, type Stride, type ThreatStatus, type Trust } from '../model/schema';
import { cvssIssue } from '../risk/cvss';

/** Threat Dragon threat status -> Rampart threat status (Avoided and Eliminated also add a tag of that name). */
export const THREAT_DRAGON_STATUS_MAP: Readonly<Record<string, ThreatStatus>> = {
  NotApplicable: 'not-applicable',
  Open: 'open',
  Mitigated: 'mitigated',
  Accepted: 'accepted',
  Transferred: 'transferred',
  Avoided: 'mitigated',
  Eliminated: 'mitigated',
};

/**
 * Threat Dragon severity -> Rampart likelihood and impact, chosen so the default matrix gives the same level
 * (the export writes the level back as the severity). `TBA` (to be assessed) and an empty severity are unrated.
 */
export const THREAT_DRAGON_SEVERITY_MAP: Readonly<Record<string, { likelihood: Likelihood; impact: Impact }>> = {
  Critical: { likelihood: 'almost-certain', impact: 'severe' },
  High: { likelihood: 'likely', impact: 'major' },
  Medium: { likelihood: 'possible', impact: 'moderate' },
  Low: { likelihood: 'unlikely', impact: 'minor' },
};

export const THREAT_DRAGON_ELEMENT_TYPE_MAP: Readonly<Record<string, ElementType>> = {
  'tm.Actor': 'external',
  'tm.Process': 'process',
  'tm.Store': 'store',
};

/** Threat Dragon's severity word for an unrated threat ("to be assessed"). */
export const TD_UNRATED = 'TBA';
/** Element and flow flags of Threat Dragon that Rampart keeps as tags (flag -> tag). */
export const TD_FLAG_TAGS: Readonly<Record<string, string>> = {
  storesCredentials: 'stores-credentials',
  storesInventory: 'stores-inventory',
  isSigned: 'signed',
  handlesCardPayment: 'handles-card-payment',
  handlesGoodsOrServices: 'handles-goods-or-services',
  providesAuthentication: 'provides-authentication',
  isPublicNetwork: 'public-network',
};
/** Which cell types have which flags (the export writes each type's own). */
export const TD_TYPE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  'tm.Actor': ['providesAuthentication'],
  'tm.Process': ['handlesCardPayment', 'handlesGoodsOrServices'],
  'tm.Store': ['isSigned', 'storesCredentials', 'storesInventory'],
  'tm.Flow': ['isPublicNetwork'],
};
/** Prefix of the tag that keeps a process's privilege level as written. */
export const TD_PRIVILEGE_TAG = 'privilege-level:';
/** Prefix of the tag that keeps a threat's score when it is not a CVSS vector. */
export const TD_SCORE_TAG = 'score:';
/** Threat Dragon's threat model types, as it spells them (a threat's type of these is kept as `<modelType>:<type>`). */
export const TD_MODEL_TYPES = ['STRIDE', 'LINDDUN', 'CIA', 'DIE', 'PLOT4ai'] as const;
/** The paragraph that carries the reason of an out-of-scope element or flow in its description. */
export const TD_OUT_OF_SCOPE_PREFIX = 'Out of scope: ';
/** A privilege level that reads as elevated (sets `privileged: true`). */
const ELEVATED = /\b(root|admin|administrator|administrative|system|superuser|sudo|elevated|privileged|high|kernel)\b/i;
const NOT_ELEVATED = /\b(un|non|not|low|least)[- ]?(privileged|privilege)?\b|\bnone\b|\buser\b/i;
/** Whether a Threat Dragon privilege level reads as elevated (`privileged: true`). */
export const isElevated = (level: string) => ELEVATED.test(level) && !NOT_ELEVATED.test(level);

/** A tag `prefix + text` when it fits the schema's tag length, else undefined. */
export function prefixedTag(prefix: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const tag = prefix + text;
  return tag.length <= LIMITS.id ? tag : undefined;
}

/** The description with the out-of-scope reason as its last paragraph. */
export function withReason(description: string | undefined, reason: string | undefined): string | undefined {
  if (!reason) return description;
  return longText([description, TD_OUT_OF_SCOPE_PREFIX + reason].filter(Boolean).join('\n\n'));
}

const SNAP_DISTANCE = 50;
/** Cell type from the shape, for cells that lack `data.type`. */
const SHAPE_TYPE: Readonly<Record<string, string>> = {
  actor: 'tm.Actor', process: 'tm.Process', store: 'tm.Store', flow: 'tm.Flow', 'trust-boundary-box': 'tm.BoundaryBox',
  'trust-boundary-curve': 'tm.Boundary', 'trust-broundary-curve': 'tm.Boundary', 'td-text-block': 'tm.Text',
};

/** `key`: the diagram's number and the cell id (cell ids are unique only within a diagram). */
interface Cell { id: string; key: string; diagramNumber: number; type: string; data: Record<string, unknown>; raw: Record<string, unknown>; rect?: Rect; diagram: string }

const cellKey = (diagram: number, id: string) => `${diagram}\u0000${id}`;

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

function statusOf(word: string | undefined): { status: ThreatStatus; known: boolean; key?: string } {
  if (!word) return { status: 'open', known: false };
  const w = word.length > 100 ? '' : word.replace(/[^a-z]/gi, '').toLowerCase();
  const key = Object.keys(THREAT_DRAGON_STATUS_MAP).find(k => k.toLowerCase() === w);
  if (key) return { status: THREAT_DRAGON_STATUS_MAP[key], known: true, key };
  if (/^n\/?a$/i.test(word)) return { status: 'not-applicable', known: true };
  return { status: 'open', known: false };
}

export function strideOfType(type: string | undefined): Stride | undefined {
  const s = strideFrom(type);
  if (s) return s;
  const w = type?.toLowerCase().trim();
  return w === 'confidentiality' ? 'information-disclosure' : w === 'integrity' ? 'tampering' : w === 'availability' ? 'denial-of-service' : undefined;
}

export function trustFromName(name: string): Trust {
  if (/internet|public (network|zone|internet)|external|untrusted|third.?party|customer|user/i.test(name)) return 'untrusted';
  if (/dmz|partner|perimeter/i.test(name)) return 'partial';
  return 'partial';
}

/** A point of a line end as "(x, y)", or "cell <id>" when it is attached. */
function endText(end: unknown): string {
  if (!isObject(end)) return '?';
  const cell = clip(end.cell, 60);
  if (cell) return `cell ${cell}`;
  const x = num(end.x), y = num(end.y);
  return x !== undefined && y !== undefined ? `(${x}, ${y})` : '?';
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
  const summaryId = str(summary.id);
  if (summaryId !== undefined && summaryId !== '0') b.commentSection('title', `Threat Dragon summary id: ${clip(summaryId, 100)} (Rampart keeps no model id; the export writes 0).`);
  const team: { name: string; role: string }[] = [];
  if (oneLine(summary.owner)) team.push({ name: oneLine(summary.owner)!, role: 'owner' });
  for (const c of arr(detail.contributors)) {
    const name = oneLine(isObject(c) ? c.name : c);
    if (name) team.push({ name, role: 'contributor' });
  }
  if (oneLine(detail.reviewer)) team.push({ name: oneLine(detail.reviewer)!, role: 'reviewer' });
  if (team.length) b.top.team = team.slice(0, LIMITS.list);

  // Read every cell of every diagram (v2: diagram.cells; v1: diagram.diagramJson.cells).
  const diagrams = arr(detail.diagrams).filter(isObject);
  if (diagrams.length > 1) b.note(`The model has ${diagrams.length} diagrams; their elements were merged into one model (diagram titles are in comments).`);
  const cells: Cell[] = [];
  const dataflow: string[] = [];
  let diagramIndex = 0;
  for (const d of diagrams) {
    const title = oneLine(d.title) ?? `Diagram ${diagramIndex + 1}`;
    diagramIndex++;
    const about = longText(d.description);
    if (about) dataflow.push(diagrams.length > 1 ? `${title}: ${about}` : about);
    const kind = oneLine(d.diagramType, 100);
    if (kind && kind.toUpperCase() !== 'STRIDE') b.commentSection('title', `Threat Dragon diagram "${title}" is of type ${kind}.`);
    const list = Array.isArray(d.cells) ? d.cells : isObject(d.diagramJson) ? arr(d.diagramJson.cells) : [];
    for (const raw of list) {
      if (!isObject(raw)) continue;
      const data = isObject(raw.data) ? raw.data : raw; // v1 keeps the properties on the cell itself
      const type = str(data.type) ?? str(raw.type) ?? own(SHAPE_TYPE, str(raw.shape)) ?? '';
      const id = str(raw.id);
      if (!id) continue;
      cells.push({ id, key: cellKey(diagramIndex, id), diagramNumber: diagramIndex, type, data, raw, rect: rectOf(raw), diagram: title });
    }
  }
  if (dataflow.length) {
    const text = longText(dataflow.join('\n\n'));
    if (text) b.top.scope = { dataflow: text };
  }

  // Refuse at once what cannot fit in one model, before any work per cell.
  const countOf = (...types: string[]) => cells.reduce((n, c) => n + (types.includes(c.type) ? 1 : 0), 0);
  b.expect('elements', countOf(...Object.keys(THREAT_DRAGON_ELEMENT_TYPE_MAP)));
  b.expect('boundaries', countOf('tm.BoundaryBox'));
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
  /** What a threat's target is, by cell key: the id of the element or flow made from that cell. */
  const cellIds = new Map<string, string>();
  /** Boundary boxes by cell key (a threat may not target a boundary: one on a box has no target). */
  const boxNames = new Map<string, string>();

  // Boundaries: boxes only. A trust boundary line encloses nothing: it is kept in a note.
  const boxes: { cell: Cell; id: string; rect: Rect }[] = [];
  let unnamedBoundary = 0;
  for (const c of cells.filter(c => c.type === 'tm.BoundaryBox')) {
    const name = nameOf(c) ?? `Trust boundary ${++unnamedBoundary}`;
    const id = b.ids.boundaries.take(slugify(nameOf(c) ?? ''), name);
    boxNames.set(c.key, name);
    b.add('boundaries', id, { name, description: longText(c.data.description), trust: trustFromName(name), source_id: oneLine(c.id) });
    b.commentEntry('boundaries', id, `Threat Dragon has no trust levels: trust set to ${trustFromName(name)} from the name (review).`);
    if (c.rect) boxes.push({ cell: c, id, rect: c.rect });
  }
  const lines = cells.filter(c => c.type === 'tm.Boundary');
  if (lines.length) {
    const shown = lines.slice(0, 20).map(c => `${nameOf(c) ? `"${nameOf(c)}"` : `${clip(c.id, 60)}`} from ${endText(c.raw.source)} to ${endText(c.raw.target)}`);
    b.note(
      `${lines.length === 1 ? 'A Threat Dragon trust boundary line was' : `${lines.length} Threat Dragon trust boundary lines were`} not imported as ` +
      `${lines.length === 1 ? 'a boundary' : 'boundaries'}, as a line encloses no elements (${shown.join('; ')}${lines.length > 20 ? `; and ${lines.length - 20} more` : ''}): ` +
      'to keep such a trust boundary, add a boundary and set `boundary:` on the elements behind the line.',
    );
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

  /** `out_of_scope` and the description with the reason, for an element or flow; a reason without the flag is a comment. */
  const scopeOf = (section: 'elements' | 'flows', id: string, d: Record<string, unknown>) => {
    const reason = longText(d.reasonOutOfScope);
    const out = d.outOfScope === true;
    if (!out && reason) b.commentEntry(section, id, `Threat Dragon reason out of scope (the cell is in scope): ${clip(reason)}`);
    return { out_of_scope: out ? true : undefined, description: out ? withReason(longText(d.description), reason) : longText(d.description) };
  };
  /** Tags from the flags of a cell's type that are set. */
  const flagTags = (c: Cell) => (own(TD_TYPE_FLAGS, c.type) ?? []).filter(f => c.data[f] === true).map(f => TD_FLAG_TAGS[f]);

  // Elements.
  const elementCells: { cell: Cell; id: string }[] = [];
  for (const c of cells) {
    const type = own(THREAT_DRAGON_ELEMENT_TYPE_MAP, c.type);
    if (!type) continue;
    const fallback = { external: 'Unnamed actor', process: 'Unnamed process', store: 'Unnamed store' }[type];
    const name = nameOf(c) ?? fallback;
    const id = b.ids.elements.take(slugify(nameOf(c) ?? ''), fallback);
    cellIds.set(c.key, id);
    elementCells.push({ cell: c, id });
    const d = c.data;
    const tags = flagTags(c);
    const privilege = type === 'process' ? oneLine(d.privilegeLevel, 100) : undefined;
    const privilegeTag = prefixedTag(TD_PRIVILEGE_TAG, privilege);
    if (privilegeTag) tags.push(privilegeTag);
    else if (privilege) b.commentEntry('elements', id, `Threat Dragon privilege level (too long for a tag, not kept): ${clip(privilege)}.`);
    const { out_of_scope, description } = scopeOf('elements', id, d);
    b.add('elements', id, {
      type,
      name,
      description,
      kind: type === 'store' && d.isALog === true ? 'log-store' : type === 'process' && d.isWebApplication === true ? 'web-app' : undefined,
      boundary: boxOf(c.rect),
      encrypted: type === 'store' && typeof d.isEncrypted === 'boolean' ? d.isEncrypted : undefined,
      privileged: privilege && isElevated(privilege) ? true : undefined,
      tags,
      out_of_scope,
      source_id: oneLine(c.id),
    });
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
  const elementIds = new Set(elementCells.map(e => e.id));
  const endOf = (c: Cell, end: unknown): { id?: string; snapped?: string } => {
    if (!isObject(end)) return {};
    const cellId = str(end.cell) ?? str(end.id);
    if (cellId) {
      const id = cellIds.get(cellKey(c.diagramNumber, cellId));
      return { id: id !== undefined && elementIds.has(id) ? id : undefined };
    }
    const x = num(end.x), y = num(end.y);
    if (x === undefined || y === undefined) return {};
    const hit = nearest(x, y);
    return hit ? { id: hit.id, snapped: nameOf(hit.cell) ?? hit.id } : {};
  };
  for (const c of cells.filter(c => c.type === 'tm.Flow')) {
    const d = c.data;
    const from = endOf(c, c.raw.source);
    const to = endOf(c, c.raw.target);
    const name = nameOf(c);
    if (!from.id || !to.id) {
      b.note(`The flow ${name ? `"${name}"` : clip(c.id, 100)} is not attached to an element at its ${!from.id ? 'source' : 'target'} (a loose end in the diagram); it was left out.`);
      continue;
    }
    const id = b.ids.flows.take(slugify(name ?? ''), `flow-${slugify(`${from.id}-to-${to.id}`)}`);
    cellIds.set(c.key, id);
    const { out_of_scope, description } = scopeOf('flows', id, d);
    b.add('flows', id, {
      from: from.id,
      to: to.id,
      name,
      description,
      protocol: oneLine(d.protocol, 64),
      encrypted: typeof d.isEncrypted === 'boolean' ? d.isEncrypted : undefined,
      bidirectional: d.isBidirectional === true ? true : undefined,
      tags: flagTags(c),
      out_of_scope,
      source_id: oneLine(c.id),
    });
    for (const [end, e] of [['source', from], ['target', to]] as const) {
      if (e.snapped) {
        b.commentEntry('flows', id, `The ${end} end was a loose point in Threat Dragon, next to "${e.snapped}": attached to it (check).`);
      }
    }
  }

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
    const target = cellIds.get(c.key);
    for (const raw of threats) {
      if (!isObject(raw)) continue;
      const title = oneLine(raw.title) ?? 'Untitled threat';
      const id = b.ids.threats.take(slugify(title), 'threat');
      const statusWord = str(raw.status);
      const { status, known, key: statusKey } = statusOf(statusWord);
      const severity = str(raw.severity);
      const sevKey = Object.keys(THREAT_DRAGON_SEVERITY_MAP).find(k => k.toLowerCase() === severity?.toLowerCase());
      const rating = sevKey ? THREAT_DRAGON_SEVERITY_MAP[sevKey] : undefined;
      const typeWord = oneLine(raw.type, 100);
      const stride = strideOfType(typeWord);
      const modelWord = oneLine(raw.modelType, 100);
      const modelType = TD_MODEL_TYPES.find(m => m.toLowerCase() === modelWord?.toLowerCase());
      const tags: string[] = [];
      if (statusKey === 'Avoided' || statusKey === 'Eliminated') tags.push(statusKey.toLowerCase());
      // A type of another model, or one without a STRIDE category, is kept as written in a tag.
      if ((modelType && modelType !== 'STRIDE') || (typeWord && !stride)) {
        const typeTag = (modelType || !modelWord) ? prefixedTag(`${modelType ?? 'STRIDE'}:`, typeWord ?? '') : undefined;
        if (typeTag) tags.push(typeTag);
        else b.commentEntry('threats', id, `Threat Dragon threat type "${clip(typeWord, 100) ?? ''}" (${clip(modelWord, 100) ?? 'no model type'}) is not kept: ${stride ? 'only its STRIDE category is' : 'it has no STRIDE category'}.`);
      }
      const score = oneLine(raw.score, 300);
      let cvss: string | undefined;
      if (score && /^CVSS:\d/.test(score) && !cvssIssue(score)) cvss = score;
      else if (score) {
        const scoreTag = prefixedTag(TD_SCORE_TAG, score);
        if (scoreTag) tags.push(scoreTag);
        else b.commentEntry('threats', id, `Threat Dragon score (too long for a tag, not kept): ${clip(score)}.`);
      }
      let mitigations: string[] | undefined;
      const mitigationText = longText(raw.mitigation);
      if (mitigationText) {
        const mid = b.ids.mitigations.take(slugify(`${title}-mitigation`), 'mitigation');
        const implemented = status === 'mitigated';
        const nl = mitigationText.indexOf('\n');
        const first = (nl < 0 ? mitigationText : mitigationText.slice(0, nl)).trim();
        const firstFits = first !== '' && first.length <= LIMITS.name && oneLine(first) !== undefined;
        b.add('mitigations', mid, {
          // The first line is the title and the rest the description; a first line too long for a title is cut
          // there, and the whole text is the description.
          title: (firstFits ? oneLine(first) : oneLine(first) ?? oneLine(mitigationText)) ?? title,
          description: firstFits ? longText(nl < 0 ? undefined : mitigationText.slice(nl + 1)) : mitigationText,
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
        cvss,
        status,
        mitigations,
        tags,
        source_id: oneLine(str(raw.id) ?? str(raw.threatId)),
      });
      if (!target) {
        const where = boxNames.has(c.key) ? `the trust boundary box of the boundary "${boxNames.get(c.key)}" (a threat targets elements and flows)` : c.type === 'tm.Text' ? 'a text block' : c.type === 'tm.Boundary' ? 'a trust boundary line' : c.type === 'tm.Flow' ? 'a flow that was left out' : `a cell of type ${clip(c.type, 100) || 'unknown'}`;
        b.commentEntry('threats', id, `It sat on ${where} in Threat Dragon ("${nameOf(c) ?? clip(c.id, 100)}"), not on an element or flow, so it has no target.`);
      }
      if (statusKey === 'Avoided' || statusKey === 'Eliminated') b.commentEntry('threats', id, `Threat Dragon status ${statusKey}: imported as mitigated. The tag ${statusKey.toLowerCase()} keeps the word for an export.`);
      else if (!known) b.commentEntry('threats', id, `Threat Dragon status "${clip(statusWord, 100) ?? 'missing'}" is unknown; imported as open.`);
      if (severity && !rating && severity.toUpperCase() !== TD_UNRATED) b.commentEntry('threats', id, `Threat Dragon severity "${clip(severity, 100)}" is unknown; likelihood and impact left unset.`);
      const number = num(raw.number);
      if (number !== undefined) b.commentEntry('threats', id, `Threat Dragon threat number: ${number}.`);
    }
  }

  for (const [k] of entries(src)) {
    if (!['version', 'summary', 'detail'].includes(k)) b.note(`The top-level key "${oneLine(k, 100)}" of the Threat Dragon file was left out.`);
  }
  return b.result();
}
