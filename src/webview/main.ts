/**
 * The visual editor's webview: the data-flow diagram (Mermaid, pan & zoom, click to reveal, focused views for
 * large models), the threats and mitigations tables with editable statuses, the 5x5 heat map that filters the
 * table, and the attack trees. It talks to the extension only through the messages of src/shared/protocol.ts
 * and draws every model string as text (textContent / encoded Mermaid), never as HTML.
 */
import './style.css';
import type { Level, MitigationStatus, ThreatStatus } from '../core/model/schema';
import { dataFlowDiagram, type DataFlowDiagram, type DiagramFocus } from '../core/render/mermaid';
import type { AttackTreeView, RevealKind, ThreatRow, ViewModel } from '../core/render/viewModel';
import type { FromWebviewMessage, ToWebviewMessage, WebviewState } from '../shared/protocol';
import { DRAWING_KEY_MAX, DRAWING_MAX_CHARS } from '../shared/drawingLimits';
import { viewOfUpdate } from '../shared/viewMessage';
import { append, clear, h, replace } from './dom';
import { fixSvgSize, importSvg, PanZoom, renderMermaid, themeFromBody, type Layout, type LayoutTuning, type MermaidTheme, type RenderResult } from './diagram';
import { Authoring } from './authoring';
import { Inspector } from './inspector';
import { measureStatus } from './measureCache';
import { elkStatus, endLayoutWait, hostLayoutDone, onLayoutWait, prewarmElk, useHostLayout } from './elk';
import { applyStyles, DrawingCache, drawingKey, installRiskStyles, mermaidNodeId, riskClass } from './restyle';
import { addedEdges, drawProvisional } from './provisional';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * The page's first script (html.ts, `BOOT_SCRIPT`) takes VS Code's API and says it is ready before this bundle is
 * even parsed, keeping the messages that arrive meanwhile: the extension reads the model while the page loads.
 */
interface Boot {
  api: VsCodeApi;
  take(): MessageEvent[];
}
const boot = (window as unknown as { rampartBoot?: Boot }).rampartBoot;
delete (window as unknown as { rampartBoot?: Boot }).rampartBoot;

const started = performance.now();
const vscode = boot?.api ?? acquireVsCodeApi();
let state: WebviewState = sanitizeState(vscode.getState());

/** Timings and counters the Chromium test and the benchmark read. */
const debug = {
  /** firstDiagramAt: since the page's time origin (its navigation), for the benchmark. */
  timings: { scriptStartAt: started, firstDiagramMs: undefined as number | undefined, firstDiagramAt: undefined as number | undefined, lastUpdateMs: undefined as number | undefined, lastRenderMs: undefined as number | undefined, lastMermaidMs: undefined as number | undefined },
  /** Mermaid calls for the data-flow diagram. */
  renders: 0,
  /** Updates that only recoloured the drawn diagram (no Mermaid call). */
  restyles: 0,
  /** Diagrams drawn from a kept drawing of the same structure (no Mermaid call). */
  cacheHits: 0,
  fallbacks: 0,
  /** Updates fully handled (diagram drawn, fallback shown, or unchanged). */
  updates: 0,
  /** Updates whose new flows were drawn provisionally on the current picture while Mermaid laid it out again. */
  provisional: 0,
  layout: '' as string,
  /** For the layout benchmark only: an engine and settings instead of the chosen ones. */
  override: undefined as undefined | { layout?: Layout; tuning?: LayoutTuning },
  /** How the diagram was first shown: the whole of it, or the riskiest part with the Fit hint. */
  firstView: '' as '' | 'fit' | 'detail',
  /** Where ELK's layouts ran (the page's ELK for the first, its worker once warm) and the worker's state. */
  elk: elkStatus,
  /** Label boxes Mermaid took from the measurement cache (hits) or measured (misses). */
  measure: measureStatus,
};
(window as unknown as { __rampart: typeof debug }).__rampart = debug;

let version = 0;
let view: ViewModel | undefined;
/** The id of the update `view` came from: the extension sends the next view as a delta against it. */
let viewId: number | undefined;
let shown: DataFlowDiagram | undefined;
let shownText = '';
let theme: MermaidTheme = themeFromBody();
let selected: { kind: RevealKind; id: string } | undefined;
const nodeToElement = new Map<string, string>();
const edgeToFlows = new Map<string, string[]>();
const clusterToBoundary = new Map<string, string>();
const treeRendered = new Map<string, string>();
const drawings = new DrawingCache();
drawings.restore(state.drawings);
installRiskStyles();

function post(m: FromWebviewMessage): void {
  vscode.postMessage(m);
}

function saveState(patch: Partial<WebviewState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

function sanitizeState(raw: unknown): WebviewState {
  if (!raw || typeof raw !== 'object') return {};
  const s = raw as WebviewState;
  const out: WebviewState = {};
  if (s.zoom && [s.zoom.x, s.zoom.y, s.zoom.k].every(v => typeof v === 'number' && Number.isFinite(v))) out.zoom = s.zoom;
  if (s.focus && typeof s.focus === 'object') out.focus = s.focus;
  if (s.filters && typeof s.filters === 'object') out.filters = s.filters;
  if (Array.isArray(s.treesOpen)) out.treesOpen = s.treesOpen.filter(x => typeof x === 'string');
  // drawings are checked entry by entry by DrawingCache.restore and cleaned again when used (importSvg)
  if (Array.isArray(s.drawings)) out.drawings = s.drawings;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Shell

const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
clear(app);

const titleEl = h('h1', {}, 'Threat model');
const countsEl = h('span', { class: 'counts' });
const overviewBtn = h('button', { type: 'button', title: 'Show the overview of the whole model', hidden: true }, 'Overview');
const searchList = h('datalist', { id: 'rampart-element-names' });
const searchBox = h('input', { type: 'search', class: 'find', placeholder: 'Find an element', 'aria-label': 'Find an element in the diagram by name or id', list: 'rampart-element-names', spellcheck: 'false' });
const searchMiss = h('span', { class: 'find-miss', role: 'status', 'aria-live': 'polite' });
const toolbar = h('div', { class: 'toolbar' }, titleEl, countsEl, h('span', { class: 'spacer' }), searchBox, searchList, searchMiss, overviewBtn);
const errorBanner = h('div', { class: 'banner error', role: 'alert', hidden: true });
const problemBanner = h('div', { class: 'banner warning', hidden: true });
const noteBanner = h('div', { class: 'banner info', hidden: true });
const legend = h('div', { class: 'legend', 'aria-label': 'Legend' },
  h('span', {}, h('span', { class: 'shape' }), 'External entity'),
  h('span', {}, h('span', { class: 'shape process' }), 'Process'),
  h('span', {}, h('span', { class: 'shape store' }), 'Data store'),
  h('span', {}, h('span', { class: 'edge' }), 'Encrypted flow'),
  h('span', {}, h('span', { class: 'edge dashed' }), 'Not encrypted'),
  ...(['critical', 'high', 'medium', 'low'] as const).map(l => h('span', {}, h('span', { class: `swatch lvl-${l}` }), `${cap(l)} risk`)),
);

const canvas = h('div', { class: 'canvas' });
const viewport = h('div', { class: 'viewport', tabindex: 0, 'aria-label': 'Data-flow diagram: drag or arrow keys to pan, wheel or + and − to zoom, 0 to fit' }, canvas);
const fitBtn = h('button', { type: 'button', title: 'Fit to window' }, 'Fit');
const zoomInBtn = h('button', { type: 'button', title: 'Zoom in' }, '+');
const zoomOutBtn = h('button', { type: 'button', title: 'Zoom out' }, '−');
const zoomControls = h('div', { class: 'zoom-controls' }, zoomOutBtn, zoomInBtn, fitBtn);
const fitHint = h('button', { type: 'button', class: 'fit-hint', hidden: true, title: 'Fit the whole diagram in the window' }, 'Press Fit to see the whole diagram');
const diagramPane = h('section', { class: 'diagram-pane', 'aria-label': 'Data-flow diagram' }, viewport, zoomControls, fitHint);
const workArea = h('div', { class: 'work-area' }, diagramPane);

const heatTable = h('table', { class: 'heatmap', 'aria-label': 'Risk heat map: likelihood by impact' });
const heatUnrated = h('div', { class: 'unrated' });
const heatPane = h('div', { class: 'heatmap-pane' }, h('h2', {}, 'Risk heat map', h('span', { class: 'sub' }, 'open threats')), heatTable, heatUnrated);

const statusFilter = h('select', { 'aria-label': 'Filter by status' });
const levelFilter = h('select', { 'aria-label': 'Filter by level' });
const elementFilter = h('select', { 'aria-label': 'Filter by element' });
const cellFilter = h('button', { type: 'button', class: 'cell-filter', hidden: true, title: 'Clear the heat-map filter' });
const clearFilters = h('button', { type: 'button', title: 'Show every threat' }, 'Clear filters');
const filters = h('div', { class: 'filters' },
  h('label', {}, 'Status', statusFilter), h('label', {}, 'Level', levelFilter), h('label', {}, 'Element', elementFilter), cellFilter, clearFilters);
const threatsHeading = h('h2', {}, 'Threats');
const threatBody = h('tbody');
const threatTable = h('table', { class: 'grid threats' },
  h('thead', {}, h('tr', {}, ...['Level', 'Threat', 'Targets', 'Status', 'Residual', 'Mitigations'].map(t => h('th', { scope: 'col' }, t)))), threatBody);
const noThreats = h('div', { class: 'no-rows', hidden: true });
/**
 * The tables show their rows a page at a time: the browser lays a table out whole, and 1,000 threat rows took it
 * about 200 ms after every edit of the model. Below the rows shown, buttons show more; an entry selected past
 * them (from the diagram or the text) makes the table grow to it.
 */
const ROW_PAGE = 200;

class RowPager {
  private limit = ROW_PAGE;
  readonly el: HTMLElement;
  constructor(table: string, private readonly redraw: () => void) {
    this.el = h('div', { class: 'more-rows', 'data-for': table, hidden: true });
  }

  /** The rows to show: the first page(s), up to the row at `mustShow` at least. */
  take<T>(rows: readonly T[], mustShow: number): readonly T[] {
    if (mustShow >= this.limit) this.limit = Math.ceil((mustShow + 1) / ROW_PAGE) * ROW_PAGE;
    return rows.length > this.limit ? rows.slice(0, this.limit) : rows;
  }

  /** The line under the table: how many rows are shown, and the buttons for more. */
  render(shown: number, total: number, what: (shown: number, total: number) => string): void {
    this.el.hidden = shown >= total;
    if (this.el.hidden) return;
    const next = Math.min(ROW_PAGE, total - shown);
    const button = (label: string, limit: number) => {
      const b = h('button', { type: 'button' }, label);
      b.addEventListener('click', () => {
        this.limit = limit;
        this.redraw();
      });
      return b;
    };
    replace(this.el, h('span', {}, `${what(shown, total)} `), button(`Show ${next} more`, shown + next), total - shown > next ? button(`Show all ${total}`, total) : null);
  }
}

const threatPager = new RowPager('threats', () => renderThreats());
const mitigationsHeading = h('h2', {}, 'Mitigations');
const mitigationBody = h('tbody');
const mitigationTable = h('table', { class: 'grid mitigations' },
  h('thead', {}, h('tr', {}, ...['Mitigation', 'Status', 'Threats'].map(t => h('th', { scope: 'col' }, t)))), mitigationBody);
// The mitigation plan ("fix first"): the mitigations still to do, the highest risk they close first, then ROSI.
const planHeading = h('h2', {}, 'Fix first', h('span', { class: 'sub' }, 'mitigation plan'));
const planNote = h('div', { class: 'plan-note muted' });
const planBody = h('tbody');
const planTable = h('table', { class: 'grid plan', 'aria-label': 'Mitigation plan: what to do first' },
  h('thead', {}, h('tr', {}, ...['#', 'Mitigation', 'Closes', 'Loss reduction / yr', 'Annual cost', 'ROSI', 'Status'].map(t => h('th', { scope: 'col' }, t)))), planBody);
const mitigationPager = new RowPager('mitigations', () => view && renderMitigations(view));
const planPager = new RowPager('plan', () => view && renderPlan(view));
const tables = h('div', { class: 'tables' }, threatsHeading, filters, threatTable, noThreats, threatPager.el, planHeading, planNote, planTable, planPager.el, mitigationsHeading, mitigationTable, mitigationPager.el);
const lower = h('section', { class: 'lower' }, heatPane, tables);
const treesHeading = h('h2', {}, 'Attack trees');
const treesList = h('div');
const trees = h('section', { class: 'trees', hidden: true }, treesHeading, treesList);

const authoring = new Authoring({
  view: () => view,
  version: () => version,
  post: m => post(m),
  select: (kind, id) => {
    select(kind, id, false);
    if (kind === 'element' || kind === 'flow' || kind === 'threat' || kind === 'mitigation') post({ type: 'reveal', kind, id });
  },
  selectedElement: () => (selected?.kind === 'element' ? selected.id : undefined),
  // a form or connect mode needs the diagram's nodes: the properties panel makes way
  opening: () => inspector.hide(),
});
const inspector = new Inspector({
  version: () => version,
  post: m => post(m),
  deselect: () => {
    selected = undefined;
    applySelection();
  },
});
document.addEventListener('keydown', e => {
  if (e.key === 'Escape' && authoring.cancel()) e.preventDefault();
});

workArea.appendChild(inspector.el);
append(app, [toolbar, errorBanner, problemBanner, noteBanner, authoring.bar, authoring.panel, legend, workArea, lower, trees]);

// Only what the user does is saved (the first view is computed again for the panel's size on a reload).
const panZoom = new PanZoom(viewport, canvas, z => {
  fitHint.hidden = true;
  saveState({ zoom: z });
});
fitBtn.addEventListener('click', () => panZoom.fit());
fitHint.addEventListener('click', () => panZoom.fit());
viewport.addEventListener('keydown', e => {
  const step = 60;
  const keys: Record<string, () => void> = {
    '+': () => panZoom.zoomCenter(1.25), '=': () => panZoom.zoomCenter(1.25), '-': () => panZoom.zoomCenter(0.8), '0': () => panZoom.fit(),
    ArrowLeft: () => panZoom.panBy(step, 0), ArrowRight: () => panZoom.panBy(-step, 0), ArrowUp: () => panZoom.panBy(0, step), ArrowDown: () => panZoom.panBy(0, -step),
  };
  const act = keys[e.key];
  if (act && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    act();
  }
});
zoomInBtn.addEventListener('click', () => panZoom.zoomCenter(1.25));
zoomOutBtn.addEventListener('click', () => panZoom.zoomCenter(0.8));
/** The element a search means: an exact id or name first, then the first name or id that contains it. */
function findElement(v: ViewModel, query: string): string | undefined {
  const q = query.trim().toLowerCase();
  if (!q) return undefined;
  const els = v.elements;
  return (els.find(e => e.id.toLowerCase() === q) ?? els.find(e => e.name.toLowerCase() === q)
    ?? els.find(e => e.name.toLowerCase().includes(q)) ?? els.find(e => e.id.toLowerCase().includes(q)))?.id;
}

/** Shows and selects the element a search names: in the drawing when it is there, else in a view focused on it. */
async function showSearched(): Promise<void> {
  if (!view) return;
  const id = findElement(view, searchBox.value);
  searchMiss.textContent = id || !searchBox.value.trim() ? '' : 'No element matches';
  if (!id) return;
  const mid = shown?.nodeIds[id];
  if (!mid?.startsWith('n')) {
    // hidden in a collapsed group or outside the focused part: focus on the element and its neighbours
    saveState({ focus: { element: id } });
    await drawDiagram(true);
  }
  select('element', id, true);
  post({ type: 'reveal', kind: 'element', id });
}
searchBox.addEventListener('change', () => void showSearched());
searchBox.addEventListener('keydown', e => {
  if (e.key === 'Enter') {
    e.preventDefault();
    void showSearched();
  }
  if (e.key === 'Escape') {
    searchBox.value = '';
    searchMiss.textContent = '';
  }
});

/** The names the search box suggests. */
function renderSearchList(v: ViewModel): void {
  replace(searchList, ...v.elements.map(e => h('option', { value: e.name }, e.id)));
}

overviewBtn.addEventListener('click', () => {
  saveState({ focus: undefined });
  void drawDiagram(true);
});

// ---------------------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', onMessage);

function onMessage(event: MessageEvent): void {
  const m = event.data as ToWebviewMessage | undefined;
  if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
  switch (m.type) {
    case 'update': {
      const next = typeof m.version === 'number' ? viewOfUpdate(m, view && viewId !== undefined ? { id: viewId, view } : undefined) : undefined;
      if (next) {
        viewId = m.id;
        void onUpdate(m.version, next);
      } else if (m.deltaJson !== undefined) {
        // A delta against a view this page does not hold (reloaded since, or damaged): ask for the whole view.
        viewId = undefined;
        post({ type: 'ready' });
      }
      break;
    }
    case 'error':
      showError(m.message, m.line);
      break;
    case 'select':
      select(m.kind, m.id, false);
      break;
    case 'added':
      authoring.added(m.kind, m.id);
      break;
    case 'notice':
      if (!inspector.notice(m.message)) authoring.notice(m.message);
      break;
    case 'entry':
      inspector.show(m.kind, m.id, m.version, m.form);
      break;
    case 'edited':
      if (Inspector.handles(m.kind)) inspector.edited(m.kind, m.id);
      if (selected?.kind === m.kind) selected = { kind: m.kind, id: m.id };
      break;
    case 'deleted':
      inspector.deleted(m.removed);
      if (selected && m.removed.some(r => r.kind === selected!.kind && r.id === selected!.id)) {
        selected = undefined;
        applySelection();
      }
      break;
    case 'confirmDelete':
      inspector.confirmDelete(m);
      break;
    case 'suggestions':
      authoring.suggestions(m.suggestions);
      break;
    case 'drawings':
      // kept by the extension from an earlier page of this model: checked entry by entry, cleaned again when used
      drawings.restore(m.drawings);
      break;
    case 'vectorScore':
      inspector.vectorScore(m);
      break;
    case 'layoutService':
      // the extension lays diagrams out with the language server's warm ELK (src/webview/elk.ts)
      useHostLayout(post, m.warm !== false);
      break;
    case 'layoutDone':
      hostLayoutDone(m);
      break;
  }
}

/**
 * Whether the tables are built while the diagram is laid out elsewhere. On two cores that work competes with
 * the layout itself (the server's or the worker's ELK, and the page's painting): the 300-element model's first
 * diagram came 120 ms later (medians of 8 alternating opens, 1,255 against 1,137 ms; its layout 636 against
 * 505 ms), so there the diagram comes first and the tables right after it.
 */
const TABLES_WHILE_LAID_OUT = navigator.hardwareConcurrency > 2;

async function onUpdate(v: number, next: ViewModel): Promise<void> {
  const t0 = performance.now();
  version = v;
  view = next;
  // ELK's script loads while the tables below are built and Mermaid reads the text
  if ((debug.override?.layout ?? layoutFor(next.diagram)) === 'elk' || state.focus) prewarmElk();
  errorBanner.hidden = true;
  titleEl.textContent = next.title || 'Untitled threat model';
  const c = next.counts;
  countsEl.textContent = `${c.elements} elements · ${c.flows} flows · ${c.threats} threats · ${c.open} open${c.aboveTolerance ? ` · ${c.aboveTolerance} above tolerance (${next.tolerance})` : ''}`;
  let tablesDone = false;
  const renderTables = () => {
    if (tablesDone || view !== next) return;
    tablesDone = true;
    renderProblems(next);
    renderHeatMap(next);
    renderFilters(next);
    renderThreats();
    renderMitigations(next);
    renderPlan(next);
    renderTrees(next);
  };
  // With cores to spare, the tables are built (and styled) while ELK lays the diagram out off the page's thread
  // (in the language server or the page's worker), instead of before Mermaid starts; else, and when nothing is
  // laid out so (dagre, a recolouring, a kept drawing), after the diagram.
  const whileLaidOut = () => {
    renderTables();
    void document.body.offsetHeight;
  };
  if (TABLES_WHILE_LAID_OUT) onLayoutWait(whileLaidOut);
  await drawDiagram(false);
  endLayoutWait(whileLaidOut);
  if (view !== next) return;
  if (!tablesDone) {
    renderTables();
    applySelection();
  }
  authoring.updated(next);
  inspector.refresh();
  debug.timings.lastUpdateMs = performance.now() - t0;
  debug.updates++;
}

function showError(message: string, line: number): void {
  replace(errorBanner,
    h('strong', {}, view ? 'The file has an error; showing the last valid version. ' : 'The file cannot be drawn. '),
    h('span', { class: 'line' }, `Line ${line}: `), message);
  errorBanner.hidden = false;
  if (!view) {
    replace(canvas);
    diagramPane.querySelector('.fallback')?.remove();
    diagramPane.appendChild(h('div', { class: 'fallback empty-state' }, 'Fix the error above to see the diagram.'));
  }
}

function renderProblems(v: ViewModel): void {
  const p = v.problems;
  if (!p.errors && !p.warnings) {
    problemBanner.hidden = true;
    return;
  }
  const parts = [p.errors ? `${p.errors} error${p.errors === 1 ? '' : 's'}` : '', p.warnings ? `${p.warnings} warning${p.warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  replace(problemBanner, h('strong', {}, `${parts} in this file (see the Problems panel). `),
    p.first ? h('span', {}, h('span', { class: 'line' }, `Line ${p.first.line}: `), p.first.message) : null);
  problemBanner.classList.toggle('error', p.errors > 0);
  problemBanner.classList.toggle('warning', p.errors === 0);
  problemBanner.hidden = false;
}

// ---------------------------------------------------------------------------------------------------------
// Diagram

/** Drawings the webview state keeps (VS Code reloads a hidden webview from its state), and their size at most. */
const KEPT_DRAWINGS = 3;
const KEPT_CHARS = 1_500_000;

/**
 * Sends the extension a new drawing to keep for this model's next page (a visual editor closed and opened again
 * draws it without a layout): the last one of a burst of redraws, a second after it, and none over the limit.
 */
let keepTimer: ReturnType<typeof setTimeout> | undefined;
function keepDrawing(key: string, markup: string): void {
  clearTimeout(keepTimer);
  if (markup.length > DRAWING_MAX_CHARS || key.length > DRAWING_KEY_MAX) return;
  keepTimer = setTimeout(() => post({ type: 'keepDrawing', key, svg: markup }), KEEP_DRAWING_DELAY_MS);
}
const KEEP_DRAWING_DELAY_MS = 1000;

/** Dagre is fastest for small diagrams; ELK lays out nested boundaries far better once there are more. */
function layoutFor(d: DataFlowDiagram): Layout {
  return d.stats.nodes > 20 || d.stats.subgraphs > 6 ? 'elk' : 'dagre';
}

function currentDiagram(v: ViewModel): DataFlowDiagram {
  const f = state.focus;
  const has = (o: object, k: unknown) => typeof k === 'string' && Object.prototype.hasOwnProperty.call(o, k);
  const valid = f && (('boundary' in f && has(v.graph.boundaries, f.boundary)) || ('element' in f && has(v.graph.elements, f.element)));
  if (valid) return dataFlowDiagram(v.graph, { focus: f as DiagramFocus, legend: false, styles: 'separate' });
  if (f) saveState({ focus: undefined });
  return v.diagram;
}

async function drawDiagram(refit: boolean, force = false): Promise<void> {
  if (!view) return;
  const v = view;
  const d = currentDiagram(v);
  shown = d;
  overviewBtn.hidden = !state.focus;
  if (d.note) {
    replace(noteBanner, h('span', {}, d.note));
    noteBanner.hidden = false;
  } else noteBanner.hidden = true;
  rebuildMaps(d);

  if (v.elements.length === 0) {
    shownText = '';
    replace(canvas);
    showFallback('No elements yet: add entries under `elements:` (and `flows:` between them) to see the data-flow diagram.', false);
    markFirst();
    return;
  }
  const drawn = canvas.querySelector('svg');
  if (d.text === shownText && !force && drawn) {
    // the same structure: recolour what is drawn
    if (applyStyles(drawn, d.styles)) debug.restyles++;
    applySelection();
    return;
  }
  const t0 = performance.now();
  const layout = debug.override?.layout ?? layoutFor(d);
  const tuning = debug.override?.tuning;
  debug.layout = layout;
  const key = drawingKey(d.text, theme, tuning ? `${layout}${JSON.stringify(tuning)}` : layout);
  const kept = drawings.get(key);
  const keptSvg = kept === undefined ? undefined : importSvg(kept);
  let r: RenderResult;
  if (keptSvg) {
    r = { svg: keptSvg, ms: 0 };
    debug.cacheHits++;
  } else {
    // only flows were added: they show at once on the current picture, until Mermaid's new drawing replaces it
    drawn?.querySelector(':scope > g.provisional-flows')?.remove(); // those of an update this one supersedes
    const added = drawn && !force ? addedEdges(shownText, d.text) : undefined;
    if (drawn && added && drawProvisional(drawn, added, mermaidNodeId) > 0) debug.provisional++;
    // ELK's script loads while Mermaid reads the text and measures the labels, not after
    if (layout === 'elk') prewarmElk();
    r = await renderMermaid(d.text, { theme, layout, tuning, edges: d.stats.edges });
    if (view !== v) return; // a newer update arrived while rendering
    debug.renders++;
    debug.timings.lastMermaidMs = r.ms;
    if (r.svg) {
      if (r.markup) {
        drawings.set(key, r.markup);
        keepDrawing(key, r.markup);
      }
      saveState({ drawings: drawings.recent(KEPT_DRAWINGS, KEPT_CHARS) });
    }
  }
  const hadSvg = !!canvas.querySelector('svg');
  if (!r.svg) {
    debug.fallbacks++;
    shownText = '';
    replace(canvas);
    showFallback(`The diagram could not be drawn (${r.error ?? 'unknown error'}). Elements and flows:`, true);
  } else {
    diagramPane.querySelector('.fallback')?.remove();
    const size = fixSvgSize(r.svg);
    applyStyles(r.svg, d.styles);
    replace(canvas, r.svg);
    shownText = d.text;
    panZoom.setContentSize(size.w, size.h);
    if (refit || !hadSvg) {
      if (!refit && !hadSvg && state.zoom) {
        panZoom.set(state.zoom);
        fitHint.hidden = true;
      } else {
        if (refit) saveState({ zoom: undefined });
        sizePane(size);
        firstView();
      }
    }
    applySelection();
  }
  debug.timings.lastRenderMs = performance.now() - t0;
  markFirst();
}

/** The first view fits the whole diagram when labels stay legible at that scale (14px text at 7px)... */
const LEGIBLE_SCALE = 0.5;
/** ...otherwise it shows the riskiest part at this scale, with a hint to press Fit. */
const DETAIL_SCALE = 0.7;

/** The scale of the first view when the pane is as wide as now. */
function firstViewScale(size: { w: number; h: number }): number {
  const k = Math.min(1.25, (viewport.clientWidth - 24) / size.w);
  return k >= LEGIBLE_SCALE ? k : DETAIL_SCALE;
}

/** Fits the pane's height to the diagram at its first-view scale (between 240px and 70% of the window). */
function sizePane(size: { w: number; h: number }): void {
  const want = Math.round(size.h * firstViewScale(size) + 40);
  diagramPane.style.height = `${Math.max(240, Math.min(want, Math.round(window.innerHeight * 0.7)))}px`;
}

const RISK_ORDER = ['critical', 'high', 'medium', 'low'] as const;

/** The centre of the riskiest node in content pixels (the first one of the highest level), if any. */
function riskiestPoint(): { x: number; y: number } | undefined {
  const nodes = Array.from(canvas.querySelectorAll('g.node'));
  for (const level of RISK_ORDER) {
    const node = nodes.find(g => g.classList.contains(riskClass(level)));
    if (!node) continue;
    const box = node.getBoundingClientRect();
    const origin = canvas.getBoundingClientRect();
    return { x: (box.left + box.width / 2 - origin.left) / panZoom.k, y: (box.top + box.height / 2 - origin.top) / panZoom.k };
  }
  return undefined;
}

/** The whole diagram when it is legible so, else its riskiest part and the hint to press Fit. */
function firstView(): void {
  const whole = panZoom.initial(LEGIBLE_SCALE, DETAIL_SCALE, riskiestPoint());
  fitHint.hidden = whole;
  debug.firstView = whole ? 'fit' : 'detail';
}

// A first view follows the panel's width (opened to the side, then widened) until the user pans or zooms.
let lastWidth = 0;
new ResizeObserver(() => {
  const w = viewport.clientWidth;
  if (w === lastWidth) return;
  lastWidth = w;
  if (!state.zoom && canvas.querySelector('svg')) firstView();
}).observe(viewport);

function markFirst(): void {
  if (debug.timings.firstDiagramMs !== undefined) return;
  debug.timings.firstDiagramMs = performance.now() - started;
  debug.timings.firstDiagramAt = performance.now();
}

/** Never a blank panel: the elements and flows as text. */
function showFallback(message: string, list: boolean): void {
  diagramPane.querySelector('.fallback')?.remove();
  const box = h('div', { class: 'fallback' }, h('p', {}, message));
  if (list && view) {
    box.appendChild(h('h3', {}, `Elements (${view.elements.length})`));
    box.appendChild(h('ul', {}, ...view.elements.map(e => h('li', {}, `${e.name} `, h('span', { class: 'muted' }, `(${e.type}${e.boundaryName ? `, in ${e.boundaryName}` : ''})`)))));
    box.appendChild(h('h3', {}, `Flows (${view.flows.length})`));
    box.appendChild(h('ul', {}, ...view.flows.map(f => h('li', {}, `${f.fromName} → ${f.toName}`, f.name || f.protocol ? ` (${[f.name, f.protocol].filter(Boolean).join(', ')})` : ''))));
  }
  diagramPane.appendChild(box);
}

function rebuildMaps(d: DataFlowDiagram): void {
  nodeToElement.clear();
  edgeToFlows.clear();
  clusterToBoundary.clear();
  for (const [el, nid] of Object.entries(d.nodeIds)) if (nid.startsWith('n')) nodeToElement.set(nid, el);
  for (const [fl, eid] of Object.entries(d.edgeIds)) edgeToFlows.set(eid, [...(edgeToFlows.get(eid) ?? []), fl]);
  for (const [b, sid] of Object.entries(d.boundaryIds)) if (sid.startsWith('b')) clusterToBoundary.set(sid, b);
}

canvas.addEventListener('click', e => {
  const target = e.target as Element;
  const node = target.closest('g.node');
  if (node) {
    const mid = mermaidNodeId(node);
    if (!mid) return;
    const el = nodeToElement.get(mid);
    if (el && authoring.nodeClicked(el)) return;
    if (el) {
      select('element', el, true);
      post({ type: 'reveal', kind: 'element', id: el });
      return;
    }
    const grp = shown?.groups[mid];
    if (grp?.boundary) {
      saveState({ focus: { boundary: grp.boundary } });
      void drawDiagram(true);
    }
    return;
  }
  const label = target.closest('g.edgeLabel')?.querySelector('[data-id]') ?? target.closest('path[data-id]');
  const eid = label?.getAttribute('data-id');
  if (eid) {
    const flows = edgeToFlows.get(eid) ?? [];
    if (flows.length === 1) {
      select('flow', flows[0], true);
      post({ type: 'reveal', kind: 'flow', id: flows[0] });
    }
    return;
  }
  const cluster = target.closest('g.cluster-label')?.closest('g.cluster') ?? target.closest('g.cluster');
  if (cluster && target.closest('g.cluster-label')) {
    const sid = /-(b\d+)$/.exec(cluster.id)?.[1];
    const b = sid ? clusterToBoundary.get(sid) : undefined;
    if (b) {
      select('boundary', b, true);
      post({ type: 'reveal', kind: 'boundary', id: b });
    }
  }
});

function svgNodeFor(mid: string): Element | undefined {
  return Array.from(canvas.querySelectorAll('g.node')).find(g => mermaidNodeId(g) === mid);
}

function applySelection(): void {
  for (const el of Array.from(canvas.querySelectorAll('.rampart-selected, .rampart-target'))) el.classList.remove('rampart-selected', 'rampart-target');
  for (const tr of Array.from(document.querySelectorAll('tr.selected'))) tr.classList.remove('selected');
  if (!selected || !shown) return;
  const { kind, id } = selected;
  let focusEl: Element | undefined;
  if (kind === 'element') {
    const mid = shown.nodeIds[id];
    focusEl = mid ? svgNodeFor(mid) : undefined;
    focusEl?.classList.add('rampart-selected');
  } else if (kind === 'flow') {
    const eid = shown.edgeIds[id];
    focusEl = eid ? canvas.querySelector(`g.edgeLabel [data-id="${cssEscape(eid)}"]`)?.closest('g.edgeLabel') ?? undefined : undefined;
    focusEl?.classList.add('rampart-selected');
  } else if (kind === 'boundary') {
    const sid = shown.boundaryIds[id];
    focusEl = sid ? Array.from(canvas.querySelectorAll('g.cluster')).find(c => c.id.endsWith(`-${sid}`)) ?? svgNodeFor(sid) : undefined;
    focusEl?.classList.add('rampart-selected');
  } else if (kind === 'threat') {
    const row = threatBody.querySelector(`tr[data-id="${cssEscape(id)}"]`);
    row?.classList.add('selected');
    const t = view?.threats.find(x => x.id === id);
    for (const target of t?.targets ?? []) {
      const mid = target.kind === 'element' ? shown.nodeIds[target.id] : undefined;
      if (mid) svgNodeFor(mid)?.classList.add('rampart-target');
    }
  } else if (kind === 'mitigation') {
    mitigationBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)?.classList.add('selected');
    planBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)?.classList.add('selected');
  }
  if (focusEl instanceof SVGGraphicsElement) {
    const box = focusEl.getBoundingClientRect();
    const vp = canvas.getBoundingClientRect();
    panZoom.reveal((box.left + box.width / 2 - vp.left) / panZoom.k, (box.top + box.height / 2 - vp.top) / panZoom.k);
  }
}

function select(kind: RevealKind, id: string, fromClick: boolean): void {
  if (typeof id !== 'string') return;
  selected = { kind, id };
  applySelection();
  // a click (or Enter on a row) opens the entry's properties; the text cursor only highlights
  if (fromClick && Inspector.handles(kind)) inspector.open(kind, id);
  // an entry past the rows shown: its table grows to it
  if (kind === 'threat' && !threatBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)) renderThreats();
  if (kind === 'mitigation' && view) {
    if (!mitigationBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)) renderMitigations(view);
    if (!planBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)) renderPlan(view);
    applySelection();
  }
  if (!fromClick && kind === 'threat') threatBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
  if (!fromClick && kind === 'mitigation') mitigationBody.querySelector(`tr[data-id="${cssEscape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
}

function cssEscape(s: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(s) : s.replace(/[^a-zA-Z0-9_@.-]/g, '');
}

// Theme changes: VS Code swaps the body class.
new MutationObserver(() => {
  const next = themeFromBody();
  if (next === theme) return;
  theme = next;
  treeRendered.clear();
  void drawDiagram(false, true).then(() => {
    for (const d of Array.from(treesList.querySelectorAll('details[open]'))) void renderTree(d as HTMLDetailsElement);
  });
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// ---------------------------------------------------------------------------------------------------------
// Heat map and filters

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/-/g, ' ');
}

/** The drag type of a threat row (dropped on a heat-map cell). */
const THREAT_DRAG = 'application/x-rampart-threat';

/** What each panel last drew, to leave a panel alone when an update does not change it (a status edit). */
const drawnPanels = { heat: '', filters: '', mitigations: '', plan: '', trees: '' };
/** Per threat id: its row and what it shows. */
const threatRows = new Map<string, { sig: string; tr: HTMLTableRowElement }>();

function renderHeatMap(v: ViewModel): void {
  const hm = v.heatMap;
  const cell = state.filters?.cell;
  const sig = JSON.stringify([hm, cell]);
  if (sig === drawnPanels.heat) return;
  drawnPanels.heat = sig;
  clear(heatTable);
  const { likelihoods: LIKELIHOODS, impacts: IMPACTS } = hm;
  const rows = [...LIKELIHOODS.keys()].reverse();
  heatTable.appendChild(h('tr', {}, h('th', { class: 'axis-y' }, 'Likelihood ↑')));
  for (const r of rows) {
    const tr = h('tr', {}, h('th', { class: 'row', scope: 'row' }, cap(LIKELIHOODS[r])));
    IMPACTS.forEach((imp, c) => {
      const open = hm.open[r]?.[c] ?? 0;
      const total = hm.total[r]?.[c] ?? 0;
      const level = hm.levels[r]?.[c];
      // Painted by what is still open: the level's colour only with open threats; a cell whose threats are
      // all closed is outlined in it, an empty one only tinted.
      const kind = open > 0 ? `hot lvl-${level}` : total > 0 ? 'closed' : 'empty';
      const td = h('td', {
        class: `cell zone-${level} ${kind}${cell && cell[0] === r && cell[1] === c ? ' active' : ''}`,
        tabindex: 0,
        title: `${cap(LIKELIHOODS[r])} × ${cap(imp)} (${level}): ${total === 0 ? 'no threats' : open === 0 ? `${total} threat${total === 1 ? '' : 's'}, all closed` : `${open} open of ${total}`}`,
        'data-cell': `${r},${c}`,
        'data-level': level,
        'data-open': open,
        'data-total': total,
      }, total ? h('span', { class: 'n' }, String(open)) : null, total > open ? h('span', { class: 'of' }, `of ${total}`) : null);
      const toggle = () => {
        const now = state.filters?.cell;
        saveState({ filters: { ...state.filters, cell: now && now[0] === r && now[1] === c ? undefined : [r, c] } });
        if (!view) return;
        renderHeatMap(view);
        renderFilters(view);
        renderThreats();
      };
      td.addEventListener('click', toggle);
      // a threat row dropped on a cell takes that cell's likelihood and impact (one undoable edit)
      td.addEventListener('dragover', e => {
        if (!e.dataTransfer?.types.includes(THREAT_DRAG)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        td.classList.add('drop');
      });
      td.addEventListener('dragleave', () => td.classList.remove('drop'));
      td.addEventListener('drop', e => {
        td.classList.remove('drop');
        const id = e.dataTransfer?.getData(THREAT_DRAG);
        if (!id || !view?.threats.some(t => t.id === id)) return;
        e.preventDefault();
        post({ type: 'editEntry', version, intent: { kind: 'set-fields', section: 'threats', id, set: { likelihood: LIKELIHOODS[r], impact: IMPACTS[c] } } });
      });
      td.addEventListener('keydown', e => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggle();
        }
      });
      tr.appendChild(td);
    });
    heatTable.appendChild(tr);
  }
  heatTable.appendChild(h('tr', {}, h('th'), ...IMPACTS.map(i => h('th', { class: 'col', scope: 'col' }, cap(i)))));
  heatTable.appendChild(h('tr', {}, h('th'), h('td', { class: 'axis', colspan: 5 }, 'Impact →')));
  heatUnrated.textContent = hm.unrated ? `${hm.unrated} threat${hm.unrated === 1 ? '' : 's'} without likelihood and impact` : '';
}

function option(value: string, label: string, current: string | undefined): HTMLOptionElement {
  const o = h('option', { value }, label);
  if (value === (current ?? '')) o.selected = true;
  return o;
}

function renderFilters(v: ViewModel): void {
  const f = state.filters ?? {};
  const { likelihoods: LIKELIHOODS, impacts: IMPACTS } = v.heatMap;
  const { threatStatuses: THREAT_STATUSES, levels: LEVELS } = v.vocabulary;
  const sig = JSON.stringify([f, v.vocabulary, v.heatMap.likelihoods, v.heatMap.impacts, v.elements.map(e => [e.id, e.name]), v.flows.map(fl => [fl.id, fl.name])]);
  if (sig === drawnPanels.filters) return;
  drawnPanels.filters = sig;
  renderSearchList(v);
  replace(statusFilter, option('', 'All', f.status), option('unresolved', 'Still open', f.status), ...THREAT_STATUSES.map(s => option(s, cap(s), f.status)));
  replace(levelFilter, option('', 'All', f.level), ...[...LEVELS].reverse().map(l => option(l, cap(l), f.level)), option('unrated', 'Unrated', f.level));
  replace(elementFilter, option('', 'All', f.element), ...v.elements.map(e => option(e.id, e.name, f.element)), ...v.flows.map(fl => option(fl.id, `${fl.name ?? fl.id} (flow)`, f.element)));
  if (f.cell) {
    cellFilter.textContent = `${cap(LIKELIHOODS[f.cell[0]] ?? '')} × ${cap(IMPACTS[f.cell[1]] ?? '')} ✕`;
    cellFilter.hidden = false;
  } else cellFilter.hidden = true;
}

for (const [sel, key] of [[statusFilter, 'status'], [levelFilter, 'level'], [elementFilter, 'element']] as const) {
  sel.addEventListener('change', () => {
    saveState({ filters: { ...state.filters, [key]: sel.value || undefined } });
    renderThreats();
  });
}
cellFilter.addEventListener('click', () => {
  saveState({ filters: { ...state.filters, cell: undefined } });
  if (view) {
    renderHeatMap(view);
    renderFilters(view);
  }
  renderThreats();
});
clearFilters.addEventListener('click', () => {
  saveState({ filters: {} });
  if (view) {
    renderHeatMap(view);
    renderFilters(view);
  }
  renderThreats();
});

function visibleThreats(v: ViewModel): ThreatRow[] {
  const f = state.filters ?? {};
  const { likelihoods: LIKELIHOODS, impacts: IMPACTS } = v.heatMap;
  return v.threats.filter(t => {
    if (f.status === 'unresolved' ? !t.open : f.status && t.status !== f.status) return false;
    if (f.level === 'unrated' ? t.level !== undefined : f.level && t.level !== f.level) return false;
    if (f.element && !t.targets.some(x => x.id === f.element)) return false;
    if (f.cell && (t.status === 'not-applicable' || t.likelihood !== LIKELIHOODS[f.cell[0]] || t.impact !== IMPACTS[f.cell[1]])) return false;
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Tables

function levelBadge(level: Level | undefined): HTMLElement {
  return level ? h('span', { class: `badge lvl-${level}` }, cap(level)) : h('span', { class: 'badge none' }, 'unrated');
}

function statusSelect<S extends string>(values: readonly S[], current: S, label: string, onChange: (s: S) => void): HTMLSelectElement {
  const sel = h('select', { 'aria-label': label });
  for (const s of values) sel.appendChild(option(s, cap(s), current));
  sel.addEventListener('click', e => e.stopPropagation());
  sel.addEventListener('keydown', e => e.stopPropagation());
  sel.addEventListener('change', () => onChange(sel.value as S));
  return sel;
}

const RESIDUAL_WORDS: Record<string, string> = {
  open: 'open', 'partially-mitigated': 'partly mitigated', mitigated: 'mitigated', accepted: 'accepted',
  transferred: 'transferred', 'not-applicable': 'not applicable', expired: 'acceptance expired',
};

const isDone = (s: MitigationStatus | undefined) => s === 'implemented' || s === 'verified';

/** "1/2 mitigations done": what a narrow panel shows instead of the mitigation chips. */
function mitigationSummary(t: ThreatRow): HTMLElement {
  const total = t.mitigations.length;
  const done = t.mitigations.filter(m => isDone(m.status)).length;
  const text = total === 0 ? 'no mitigation' : `${done}/${total} mitigation${total === 1 ? '' : 's'} done`;
  return h('div', { class: `mit-summary${total === 0 ? ' muted' : done === total ? ' all-done' : ''}`, title: t.mitigations.map(m => `${m.title ?? m.id}${m.status ? ` (${m.status})` : ''}`).join('\n') || undefined }, text);
}

function renderThreats(): void {
  if (!view) return;
  const v = view;
  const matching = visibleThreats(v);
  const rows = threatPager.take(matching, selectedIndex('threat', matching));
  threatsHeading.textContent = '';
  append(threatsHeading, ['Threats', h('span', { class: 'sub' }, matching.length === v.threats.length ? `${v.threats.length}` : `${matching.length} of ${v.threats.length}`)]);
  const wanted: HTMLTableRowElement[] = [];
  const seen = new Set<string>();
  for (const t of rows) {
    seen.add(t.id);
    const sig = JSON.stringify([t, v.vocabulary.threatStatuses]);
    const kept = threatRows.get(t.id);
    if (kept?.sig === sig) {
      wanted.push(kept.tr);
      continue;
    }
    const tr = h('tr', { 'data-id': t.id, 'data-level': t.level ?? '', tabindex: 0, class: t.open ? '' : 'closed', draggable: 'true', title: 'Drag onto a heat-map cell to set its likelihood and impact' },
      h('td', { class: 'level' }, levelBadge(t.level), t.cvss ? h('div', { class: 'muted' }, `CVSS ${t.cvss.score}`) : null),
      h('td', { class: 'title' }, h('div', {}, t.title), h('div', { class: 'id' }, t.id, t.stride.length ? ` · ${t.stride.map(s => s.charAt(0).toUpperCase()).join('')}` : '')),
      h('td', { class: 'targets' }, h('div', { class: 'chips' }, ...t.targets.map(x => h('span', { class: `chip${x.kind === 'unknown' ? ' missing' : ''}` }, x.name)))),
      h('td', { class: 'status' }, statusSelect(v.vocabulary.threatStatuses, t.status, `Status of ${t.title}`, (s: ThreatStatus) => post({ type: 'setThreatStatus', id: t.id, status: s, version }))),
      h('td', { class: `residual${t.aboveTolerance ? ' above' : ''}` }, RESIDUAL_WORDS[t.residual] ?? t.residual, t.aboveTolerance ? h('div', { class: 'muted' }, 'above tolerance') : null),
      h('td', { class: 'mitigations' }, h('div', { class: 'chips' }, ...t.mitigations.map(m => h('span', {
        class: `chip${isDone(m.status) ? ' done' : ''}${m.title === undefined ? ' missing' : ''}`,
        title: m.title ?? `${m.id} is not defined`,
      }, m.title ?? m.id, m.status ? ` · ${m.status}` : ''))), mitigationSummary(t)),
    );
    const activate = () => {
      select('threat', t.id, true);
      post({ type: 'reveal', kind: 'threat', id: t.id });
    };
    tr.addEventListener('click', activate);
    tr.addEventListener('dragstart', e => {
      e.dataTransfer?.setData(THREAT_DRAG, t.id);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    });
    tr.addEventListener('keydown', e => {
      if (e.key === 'Enter') activate();
    });
    threatRows.set(t.id, { sig, tr });
    wanted.push(tr);
  }
  for (const id of Array.from(threatRows.keys())) if (!seen.has(id)) threatRows.delete(id);
  // the rows in order, moving or replacing only those that differ from what is there
  const current = Array.from(threatBody.children);
  if (current.length !== wanted.length || current.some((tr, i) => tr !== wanted[i])) {
    wanted.forEach((tr, i) => {
      if (threatBody.children[i] !== tr) threatBody.insertBefore(tr, threatBody.children[i] ?? null);
    });
    while (threatBody.children.length > wanted.length) threatBody.lastElementChild!.remove();
  }
  noThreats.hidden = rows.length > 0;
  noThreats.textContent = v.threats.length === 0 ? 'No threats yet: add them under `threats:` (the STRIDE quick fixes can add stubs).' : 'No threat matches the filters.';
  threatPager.render(rows.length, matching.length, (n, total) => `Showing the ${n} riskiest of ${total} threats.`);
  applySelection();
}

/** Where the selected entry of `kind` is among `rows` (-1 when it is not). */
function selectedIndex(kind: RevealKind, rows: readonly { id: string }[]): number {
  return selected?.kind === kind ? rows.findIndex(r => r.id === selected!.id) : -1;
}

function renderMitigations(v: ViewModel): void {
  const rows = mitigationPager.take(v.mitigations, selectedIndex('mitigation', v.mitigations));
  const sig = JSON.stringify([rows, v.mitigations.length, v.vocabulary.mitigationStatuses]);
  if (sig === drawnPanels.mitigations) return;
  drawnPanels.mitigations = sig;
  mitigationsHeading.hidden = v.mitigations.length === 0;
  mitigationTable.hidden = v.mitigations.length === 0;
  clear(mitigationBody);
  mitigationPager.render(rows.length, v.mitigations.length, (n, total) => `Showing ${n} of ${total} mitigations.`);
  for (const m of rows) {
    const tr = h('tr', { 'data-id': m.id, tabindex: 0 },
      h('td', { class: 'title' }, h('div', {}, m.title), h('div', { class: 'id' }, m.id)),
      h('td', { class: 'status' }, statusSelect(v.vocabulary.mitigationStatuses, m.status, `Status of ${m.title}`, (s: MitigationStatus) => post({ type: 'setMitigationStatus', id: m.id, status: s, version }))),
      h('td', { class: 'threat-ids' }, m.threats.length ? m.threats.join(', ') : h('span', { class: 'muted' }, 'no threat links it')),
    );
    const activate = () => {
      select('mitigation', m.id, true);
      post({ type: 'reveal', kind: 'mitigation', id: m.id });
    };
    tr.addEventListener('click', activate);
    tr.addEventListener('keydown', e => {
      if (e.key === 'Enter') activate();
    });
    mitigationBody.appendChild(tr);
  }
}

/** The mitigation plan: one row per mitigation still to do, in the order to do it; its status can be changed here. */
function renderPlan(v: ViewModel): void {
  const plan = v.plan;
  const steps = planPager.take(plan?.rows ?? [], selectedIndex('mitigation', plan?.rows ?? []));
  const sig = JSON.stringify([plan?.total, steps, plan?.rows.length, v.vocabulary.mitigationStatuses]);
  if (sig === drawnPanels.plan) return;
  drawnPanels.plan = sig;
  const empty = !plan || plan.rows.length === 0;
  planHeading.hidden = empty;
  planNote.hidden = empty;
  planTable.hidden = empty;
  clear(planBody);
  planPager.render(steps.length, plan?.rows.length ?? 0, (n, total) => `Showing the first ${n} of ${total} mitigations to do.`);
  if (!plan || empty) return;
  planNote.textContent = `The highest risk closed first, then the best return on security investment (ROSI = (loss reduction − annual cost) / annual cost); a threat's annual loss is shared among its pending mitigations. Total: ${plan.total}.`;
  for (const r of steps) {
    const tr = h('tr', { 'data-id': r.id, 'data-level': r.level ?? '', tabindex: 0 },
      h('td', { class: 'rank' }, String(r.rank)),
      h('td', { class: 'title' }, h('div', {}, r.title), h('div', { class: 'id' }, r.id)),
      h('td', { class: 'closes' }, r.threats.length
        ? h('div', { class: 'chips' }, ...r.threats.map(t => h('span', { class: `chip${t.aboveTolerance ? ' above' : ''}`, title: `${t.id}: ${t.level ?? 'unrated'}${t.aboveTolerance ? ', above tolerance' : ''}` },
          t.level ? h('span', { class: `dot lvl-${t.level}` }) : null, t.id)), r.moreThreats ? h('span', { class: 'muted' }, `+${r.moreThreats} more`) : null)
        : h('span', { class: 'muted' }, 'no open threat')),
      h('td', { class: 'reduction num' }, r.reduction),
      h('td', { class: 'cost num' }, r.annualCost, r.oneOffCost !== '—' ? h('div', { class: 'muted' }, `${r.oneOffCost} once`) : null),
      h('td', { class: `rosi num${r.losing ? ' losing' : ''}` }, r.rosi),
      h('td', { class: 'status' }, statusSelect(v.vocabulary.mitigationStatuses, r.status, `Status of ${r.title}`, (s: MitigationStatus) => post({ type: 'setMitigationStatus', id: r.id, status: s, version }))),
    );
    const activate = () => {
      select('mitigation', r.id, true);
      post({ type: 'reveal', kind: 'mitigation', id: r.id });
    };
    tr.addEventListener('click', activate);
    tr.addEventListener('keydown', e => {
      if (e.key === 'Enter') activate();
    });
    planBody.appendChild(tr);
  }
  applySelection();
}

// ---------------------------------------------------------------------------------------------------------
// Attack trees

function renderTrees(v: ViewModel): void {
  const sig = JSON.stringify(v.attackTrees);
  if (sig === drawnPanels.trees) return;
  drawnPanels.trees = sig;
  trees.hidden = v.attackTrees.length === 0;
  const open = new Set(state.treesOpen ?? (v.attackTrees.length <= 3 ? v.attackTrees.map(t => t.id) : []));
  const existing = new Map(Array.from(treesList.querySelectorAll('details')).map(d => [d.getAttribute('data-id') ?? '', d as HTMLDetailsElement]));
  clear(treesList);
  for (const t of v.attackTrees) {
    let d = existing.get(t.id);
    const fresh = !d;
    if (!d) {
      d = h('details', { 'data-id': t.id });
      d.addEventListener('toggle', () => {
        const ids = Array.from(treesList.querySelectorAll('details[open]')).map(x => x.getAttribute('data-id') ?? '');
        saveState({ treesOpen: ids });
        if (d!.open) void renderTree(d!);
      });
    }
    const summary = h('summary', {}, h('span', { class: `badge ${t.diagram.reachable ? 'reachable' : 'blocked'}` }, t.diagram.reachable ? 'reachable' : 'blocked'), h('span', {}, t.goal), h('span', { class: 'id muted' }, t.id));
    const body = d.querySelector('.tree-body') ?? h('div', { class: 'tree-body' });
    replace(d, summary, body);
    treesList.appendChild(d);
    if (fresh && open.has(t.id)) d.open = true;
    else if (d.open) void renderTree(d);
  }
}

async function renderTree(d: HTMLDetailsElement): Promise<void> {
  const id = d.getAttribute('data-id') ?? '';
  const t: AttackTreeView | undefined = view?.attackTrees.find(x => x.id === id);
  const body = d.querySelector('.tree-body');
  if (!t || !body) return;
  if (treeRendered.get(id) === t.diagram.text && body.querySelector('svg')) return;
  treeRendered.set(id, t.diagram.text);
  const r = await renderMermaid(t.diagram.text, { theme, layout: 'dagre' });
  if (r.svg) {
    const size = fixSvgSize(r.svg);
    r.svg.dataset.w = String(size.w);
    replace(body, r.svg);
    fitTree(r.svg);
  } else replace(body, h('p', { class: 'muted' }, `The attack tree could not be drawn (${r.error ?? 'unknown error'}).`));
}

/** Below this scale a tree's labels are too small to read: it scrolls inside its box instead. */
const MIN_TREE_SCALE = 0.6;

/** Scales a tree down to the width of its box, but not below MIN_TREE_SCALE. */
function fitTree(svg: SVGSVGElement): void {
  const w = Number(svg.dataset.w);
  const box = svg.parentElement?.clientWidth ?? 0;
  if (!w || !box) return;
  const width = Math.max(w * MIN_TREE_SCALE, Math.min(w, box - 12));
  svg.style.width = `${Math.round(width)}px`;
  svg.style.height = 'auto';
}

new ResizeObserver(() => {
  for (const svg of Array.from(treesList.querySelectorAll<SVGSVGElement>('.tree-body > svg'))) fitTree(svg);
}).observe(treesList);

treesList.addEventListener('click', e => {
  const node = (e.target as Element).closest('g.node');
  const details = (e.target as Element).closest('details');
  if (!node || !details) return;
  const tree = details.getAttribute('data-id') ?? '';
  const mid = mermaidNodeId(node);
  const info = mid ? view?.attackTrees.find(x => x.id === tree)?.diagram.nodes[mid] : undefined;
  if (!info) return;
  if (info.kind === 'threat' && info.ref) {
    select('threat', info.ref, true);
    post({ type: 'reveal', kind: 'threat', id: info.ref });
  } else if (info.kind === 'tree' && info.ref) post({ type: 'reveal', kind: 'attack_tree', id: info.ref });
  else post({ type: 'reveal', kind: 'attack_tree', id: tree, node: info.path.length ? (info.path as ('and' | 'or' | number)[]) : undefined });
});

// the messages that came before this script ran (it said it was ready then), in order; else it says so now
if (boot) for (const e of boot.take()) onMessage(e);
else post({ type: 'ready' });
