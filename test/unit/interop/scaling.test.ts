/**
 * Importers and exporters run in linear (or n log n) time on untrusted input (#9). Each test times the same
 * conversion on an input and on one 4 times as large, in one run, and asserts the ratio, never an absolute
 * time: linear work takes about 4x as long, quadratic work 16x; the bound is 6x.
 *
 * Noise: time is the process's CPU time (user + system), not the wall clock, so other work on a busy machine
 * (CI, other tests) does not count; the sizes alternate, after a warm-up long enough for the JIT to settle;
 * and each size keeps its fastest run, the least disturbed estimate (garbage collection and other threads only
 * ever add time; a median still moves when most runs are disturbed alike). Three rounds usually settle it;
 * when the ratio is over the bound, more rounds are run (up to eight) before the test fails: the fastest runs
 * only get faster with more rounds, so noise clears, while quadratic work stays over the bound (against the
 * code before #9 these tests measure 7x to 25x). The smaller input takes tens of milliseconds, well above
 * timer noise. (Forcing a collection before each run was tried: the collector's
 * concurrent sweeping then lands in the measured run, which makes it noisier, not quieter.)
 */
import assert from 'node:assert/strict';
import { exportModel, importModel, type ImportFormat } from '../../../src/core/interop/index';
import {
  modelWithBoundaries, otmInstances, otmRepeatedThreatIds, otmSameId, otmTags, threagileTags, threagileTracking,
  threatDragonGeometry, threatDragonLongLabels, threatDragonSameName,
} from './generate';

const FACTOR = 4;
const MAX_RATIO = 6;
const RUNS = 3;
/** Rounds at most, while the ratio is over the bound. */
const MAX_RUNS = 8;
/** Runs of the smaller input before timing (the larger one has run once too, by then). */
const WARM_UP = 1;
/** The results are not checked against the size cap here: only the time of the conversion is measured. */
const NO_CAP = { maxFileSize: 1 << 30 };

function fastest(runs: number[]): number {
  return Math.min(...runs);
}

/** Times `work(small)` and `work(large)`, alternating, and asserts the ratio of the fastest runs. */
function assertLinear<T>(label: string, small: T, large: T, work: (input: T) => unknown) {
  const time = (input: T) => {
    const start = process.cpuUsage();
    work(input);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  for (let i = 0; i < WARM_UP; i++) work(small);
  const a: number[] = [];
  const b: number[] = [];
  const ratio = () => fastest(b) / Math.max(fastest(a), 0.001);
  while (a.length < RUNS || (ratio() > MAX_RATIO && a.length < MAX_RUNS)) {
    a.push(time(small));
    b.push(time(large));
  }
  const result = { small: fastest(a), large: fastest(b), ratio: ratio(), rounds: a.length };
  if (process.env.RAMPART_SCALING_LOG) {
    process.stderr.write(`${label}: ${result.small.toFixed(1)} ms -> ${result.large.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)} (${result.rounds} rounds)\n`);
  }
  assert.ok(
    result.ratio <= MAX_RATIO,
    `${label}: ${FACTOR}x the input took ${result.ratio.toFixed(1)}x as long (CPU ${result.small.toFixed(0)} ms -> ${result.large.toFixed(0)} ms, fastest of ${result.rounds} rounds; linear is ${FACTOR}x, the bound ${MAX_RATIO}x)`,
  );
  return result;
}

function assertImportLinear(format: ImportFormat, make: (n: number) => string, n: number, label: string) {
  const small = make(n);
  const large = make(FACTOR * n);
  // Both sizes convert (not refused by a limit, which would make the large one fast); a first warm-up too.
  const counts = [small, large].map(text => importModel(format, text, NO_CAP).stats);
  assertLinear(label, small, large, text => importModel(format, text, NO_CAP));
  return counts;
}

describe('interop: imports and exports scale linearly (#9)', function () {
  this.timeout(60_000);

  it('Threat Dragon: cells that share one name get their ids without counting up from 2 for each (id allocation)', () => {
    const [small, large] = assertImportLinear('threat-dragon', threatDragonSameName, 320, 'threat-dragon same name');
    assert.deepEqual([small.elements, small.flows, small.threats, small.mitigations], [160, 160, 160, 160]);
    assert.deepEqual([large.elements, large.flows, large.threats, large.mitigations], [640, 640, 640, 640]);
  });

  it('Threat Dragon: boundary boxes and loose flow ends are found without testing every cell against every box and element (box / nearest-element search, notes)', () => {
    const [small, large] = assertImportLinear('threat-dragon', threatDragonGeometry, 480, 'threat-dragon geometry');
    assert.equal(small.elements, 240);
    assert.equal(large.elements, 960);
    assert.ok(large.boundaries > 3 * small.boundaries, 'boxes grow with the input');
    assert.equal(large.flows, 960 / 8, 'flows with a loose end next to a process are attached, far ones left out');
  });

  it('OTM: components that share one id get their ids without counting up from 2 for each (id allocation)', () => {
    const [small, large] = assertImportLinear('otm', otmSameId, 400, 'otm same id');
    assert.equal(small.elements, 400);
    assert.equal(large.elements, 1600);
  });

  it('OTM: threat instances are matched to threats without a search of all threats each, and a mitigation\'s states are not copied per instance', () => {
    const [small, large] = assertImportLinear('otm', otmInstances, 600, 'otm instances');
    assert.equal(small.threats, 300);
    assert.equal(large.threats, 1200);
  });

  it('Threat Dragon: a cell\'s name is read once, not again for each of its threats (name of a cell with a long labels list)', () => {
    const [small, large] = assertImportLinear('threat-dragon', threatDragonLongLabels, 500, 'threat-dragon labels');
    assert.deepEqual([small.threats, large.threats], [500, 2000]);
  });

  it('OTM: threats that repeat an id read their instances once, not once per threat (instance summaries)', () => {
    const [small, large] = assertImportLinear('otm', otmRepeatedThreatIds, 300, 'otm repeated threat ids');
    assert.deepEqual([small.threats, large.threats], [300, 1200]);
  });

  it('OTM: many tags are made unique without searching the list built so far (uniq)', () => {
    assertImportLinear('otm', otmTags, 25_000, 'otm tags');
    const model = importModel('otm', otmTags(1000));
    assert.match(model.yaml, /- tag-499\n/);
    assert.doesNotMatch(model.yaml, /tag-500/, 'at most 500 tags (the schema limit)');
  });

  it('Threagile: many tags are made unique without searching the list built so far (uniq)', () => {
    assertImportLinear('threagile', threagileTags, 25_000, 'threagile tags');
  });

  it('Threagile: risk_tracking keys find their risks without testing every risk against every key (tracking match)', () => {
    const [small, large] = assertImportLinear('threagile', threagileTracking, 400, 'threagile tracking');
    assert.equal(small.threats, 400);
    assert.equal(large.threats, 1600);
    const yaml = importModel('threagile', threagileTracking(3), NO_CAP).yaml;
    assert.match(yaml, /custom-risk@component-[a-z-]+-2:\n(?: .*\n)*? {4}status: accepted/);
    assert.equal(yaml.match(/# Threagile risk tracking "custom-risk@\*": in-progress/g)?.length, 3, 'the wildcard key covers every risk');
  });

  it('Threat Dragon export: the layout finds each boundary\'s children without a search of all entries (layout)', () => {
    const small = modelWithBoundaries(800);
    const large = modelWithBoundaries(FACTOR * 800);
    const cells = (m: typeof small) => (JSON.parse(exportModel('threat-dragon', m)) as { detail: { diagrams: { cells: unknown[] }[] } }).detail.diagrams[0].cells.length;
    assert.equal(cells(small), 1600);
    assert.equal(cells(large), 6400);
    assertLinear('threat-dragon export', small, large, m => exportModel('threat-dragon', m));
  });
});
