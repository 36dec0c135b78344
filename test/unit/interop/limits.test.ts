/**
 * Imports take untrusted input (#9): what `rampart check` would refuse is refused by the import with an
 * ImportError that says what to do (never a written file that check then refuses), and input that is not what
 * is expected (wrong types, huge strings, prototype keys, deep nesting) gives an ImportError or a clean model,
 * never a crash.
 */
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { IdAllocator, strideFrom, uniq } from '../../../src/core/interop/common';
import { RectGrid, type Rect } from '../../../src/core/interop/geometry';
import { ImportError, importModel, type ImportFormat, type ImportResult } from '../../../src/core/interop/index';
import { DEFAULT_MAX_FILE_SIZE, parseModel } from '../../../src/core/model/parse';
import { ID_PATTERN, LIMITS, type Model } from '../../../src/core/model/schema';
import { corpusFile } from './corpus';
import { threagileAngleTitle } from './generate';

/** The result parses as a Rampart model without schema errors; returns the model. */
function schemaClean(result: ImportResult, label: string): Model {
  const parsed = parseModel(result.yaml);
  const errors = parsed.findings.filter(f => f.ruleId.startsWith('schema/') && f.severity === 'error');
  assert.deepEqual(errors.map(f => `${f.ruleId}: ${f.message}`), [], `${label}: schema errors`);
  return parsed.model;
}

/** Imports and returns the ImportError's message (fails when the import succeeds or throws something else). */
function importError(format: ImportFormat, text: string, options = {}): string {
  try {
    importModel(format, text, options);
  } catch (e) {
    assert.ok(e instanceof ImportError, `expected an ImportError, got ${(e as Error)?.stack ?? String(e)}`);
    return e.message;
  }
  assert.fail('the import succeeded');
}

/** Threagile (as JSON): `n` technical assets, each with a description of `chars` characters. */
function threagileWithDescriptions(n: number, chars: number, name = (i: number) => `Asset ${i}`): string {
  const assets: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) assets[name(i)] = { id: `asset-${i}`, type: 'process', description: `${i} `.padEnd(chars, 'x') };
  return JSON.stringify({ threagile_version: '1.0.0', title: 'Big', technical_assets: assets });
}

describe('interop: imports refuse what rampart check would refuse (#9)', () => {
  it('a model over the size cap is an ImportError naming its size, the limit and how to split, not a file check refuses', () => {
    // 2.2 MB of descriptions: the input is under the 5 MB import limit, the model over the 2 MiB cap.
    const text = threagileWithDescriptions(450, 4900);
    assert.ok(text.length < 5 * 1024 * 1024);
    const message = importError('threagile', text);
    assert.match(message, new RegExp(`more than ${DEFAULT_MAX_FILE_SIZE} bytes, over the ${DEFAULT_MAX_FILE_SIZE}-byte limit`));
    assert.match(message, /split the source model into several smaller ones and import each/);
    assert.match(message, /rampart\.maxFileSize/);
    // What the import refused is what check refuses: written anyway (a higher cap), check reports it too large.
    const written = importModel('threagile', text, { maxFileSize: 8 * 1024 * 1024 });
    assert.ok(Buffer.byteLength(written.yaml) > DEFAULT_MAX_FILE_SIZE);
    assert.ok(parseModel(written.yaml).findings.some(f => f.ruleId === 'schema/file-too-large'));
  });

  it('the cap is on the bytes written: one byte over is refused with the exact size, the cap itself is fine', () => {
    const text = threagileWithDescriptions(20, 300, i => `Dienst Größe ${i} — ü`); // non-ASCII names: bytes > characters
    const yaml = importModel('threagile', text, { maxFileSize: 1 << 30 }).yaml;
    const bytes = Buffer.byteLength(yaml);
    assert.ok(bytes > yaml.length, 'the model has multi-byte characters');
    assert.equal(importModel('threagile', text, { maxFileSize: bytes }).yaml, yaml);
    assert.match(importError('threagile', text, { maxFileSize: bytes - 1 }), new RegExp(`would be ${bytes} bytes, over the ${bytes - 1}-byte limit`));
    assert.match(importError('threagile', text, { maxFileSize: yaml.length }), new RegExp(`would be ${bytes} bytes`), 'counted in bytes, not characters');
  });

  it('a section with more entries than a model may hold is refused at once, with the count and the limit', () => {
    const n = LIMITS.entries + 1;
    const otm = JSON.stringify({ otmVersion: '0.2.0', project: { name: 'Many' }, components: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, name: `C ${i}`, type: 'service' })) });
    assert.match(importError('otm', otm), new RegExp(`${n} elements, over the ${LIMITS.entries} that one section of a Rampart model may hold.*split`));
    const td = JSON.stringify({ summary: { title: 'Many' }, detail: { diagrams: [{ cells: Array.from({ length: n }, (_, i) => ({ id: `p${i}`, data: { type: 'tm.Process', name: 'Same' } })) }] } });
    assert.match(importError('threat-dragon', td), new RegExp(`${n} elements, over the ${LIMITS.entries}`));
    const threats = JSON.stringify({ summary: { title: 'Many' }, detail: { diagrams: [{ cells: [{ id: 'p', data: { type: 'tm.Process', name: 'P', threats: Array.from({ length: n }, () => ({ title: 'T' })) } }] }] } });
    assert.match(importError('threat-dragon', threats), new RegExp(`${n} threats`));
    const assets: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) assets[`A${i}`] = { id: `a${i}` };
    assert.match(importError('threagile', JSON.stringify({ threagile_version: '1', technical_assets: {}, data_assets: assets })), new RegExp(`${n} assets`));
  });
});

describe('interop: hostile input gives an ImportError or a clean model, never a crash (#9)', () => {
  it('keys of Object.prototype in the input map to nothing (lookups use own properties only)', () => {
    const words = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    for (const w of words) assert.equal(strideFrom(w), undefined, w);
    const td = {
      summary: { title: 'Proto' },
      detail: { diagrams: [{ cells: [
        ...words.map((w, i) => ({ id: `x${i}`, shape: w, data: { type: w, name: w } })),
        { id: 'p', data: { type: 'tm.Process', name: 'P', threats: words.map(w => ({ title: w, status: w, severity: w, type: w })) } },
      ] }] },
    };
    const tdModel = schemaClean(importModel('threat-dragon', JSON.stringify(td)), 'threat-dragon');
    assert.deepEqual(Object.keys(tdModel.elements ?? {}), ['p'], 'cells typed with prototype keys are not elements');
    assert.ok(Object.values(tdModel.threats ?? {}).every(t => t.status === 'open' && t.stride === undefined && t.likelihood === undefined));

    const threagile = {
      threagile_version: '1.0.0',
      data_assets: Object.fromEntries(words.map(w => [w, { id: w, confidentiality: w, integrity: w, availability: w }])),
      technical_assets: Object.fromEntries(words.map(w => [w, { id: w, type: w, technology: w, encryption: w, tags: [w] }])),
      individual_risk_categories: { C: { id: 'c', stride: 'constructor', risks_identified: { R: { exploitation_likelihood: 'constructor', exploitation_impact: 'toString', most_relevant_technical_asset: 'constructor' } } } },
      risk_tracking: Object.fromEntries(words.map(w => [`c@${w}`, { status: w }])),
    };
    const th = importModel('threagile', JSON.stringify(threagile));
    const thModel = schemaClean(th, 'threagile');
    assert.equal(Object.keys(thModel.elements ?? {}).length, words.length);
    assert.ok(Object.values(thModel.elements ?? {}).every(e => e.type === 'process' && e.kind === undefined));
    assert.ok(Object.values(thModel.assets ?? {}).every(a => a.classification === 'internal' && a.criticality === undefined));
    assert.ok(Object.values(thModel.threats ?? {}).every(t => t.status === 'open' && t.likelihood === undefined && t.impact === undefined));
    assert.match(th.yaml, /# Unknown Threagile status "toString"; imported as open\./);

    const otm = {
      otmVersion: '0.2.0',
      components: [{ id: 'c', name: 'C', threats: [{ threat: 't', state: 'constructor', mitigations: [{ mitigation: 'm', state: '__proto__' }] }] }],
      threats: [{ id: 't', name: 'T', categories: words }],
      mitigations: [{ id: 'm', name: 'M' }],
    };
    const otmModel = schemaClean(importModel('otm', JSON.stringify(otm)), 'otm');
    assert.equal(otmModel.threats!.t.status, 'open');
    assert.equal(otmModel.threats!.t.stride, undefined);
    assert.equal(otmModel.mitigations!.m.status, 'proposed');
  });

  it('a __proto__ key is data: it neither changes what the file is nor pollutes Object.prototype', () => {
    const json = '{"__proto__": {"rampart": 1, "polluted": true}, "otmVersion": "0.2.0", "components": [{"id": "__proto__", "name": "P", "__proto__": {"type": "datastore"}}]}';
    const model = schemaClean(importModel('otm', json), 'json');
    assert.deepEqual(Object.keys(model.elements ?? {}), ['proto-2'], '`proto` is reserved, so the id gets a suffix');
    assert.equal(model.elements!['proto-2'].type, 'process', 'the __proto__ key of the component is not its prototype');
    const yaml = 'threagile_version: 1.0.0\n__proto__:\n  rampart: 1\ntechnical_assets:\n  __proto__:\n    id: __proto__\n    type: datastore\n    __proto__: {type: process}\n';
    const th = schemaClean(importModel('threagile', yaml), 'yaml');
    assert.deepEqual(Object.values(th.elements ?? {}).map(e => [e.name, e.type]), [['__proto__', 'store']]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).rampart, undefined);
  });

  it('huge strings are cut to the schema\'s limits', () => {
    const huge = 'A very long name '.repeat(30_000); // half a million characters, nine times: under the input limit
    const otm = { otmVersion: '0.2.0', project: { name: huge, description: huge }, components: [{ id: huge, name: huge, description: huge, type: huge, tags: [huge] }], threats: [{ id: 't', name: huge, categories: [huge], cwes: [huge] }] };
    const result = importModel('otm', JSON.stringify(otm));
    const model = schemaClean(result, 'huge');
    const [id] = Object.keys(model.elements ?? {});
    assert.ok(id.length <= LIMITS.id && ID_PATTERN.test(id));
    assert.ok(model.elements![id].name.length <= LIMITS.name && model.elements![id].name.endsWith('…'));
    assert.ok(model.title.length <= LIMITS.name);
    assert.ok(result.yaml.length < 100_000, 'comments quote the source briefly too');
  });

  it('a title of a million `<` is stripped of tags in one pass (the tag pattern scanned to the end from each `<`)', () => {
    const model = schemaClean(importModel('threagile', threagileAngleTitle(1_000_000)), 'angles');
    const [threat] = Object.values(model.threats ?? {});
    assert.ok(threat.title.length <= LIMITS.name && threat.title.startsWith('<<<'));
  });

  it('a missing name falls back to the source id within the schema\'s limits', () => {
    const long = 'Component '.repeat(100);
    const otm = { otmVersion: '0.2.0', assets: [{ id: long }], trustZones: [{ id: long }], components: [{ id: long }], threats: [{ id: long }], mitigations: [{ id: long }] };
    const o = schemaClean(importModel('otm', JSON.stringify(otm)), 'otm');
    assert.ok(Object.values(o.elements ?? {}).every(e => e.name.length <= LIMITS.name && e.name.startsWith('Component')));
    const threagile = {
      threagile_version: '1.0.0',
      data_assets: { '': { id: long } },
      technical_assets: { '': { type: 'process' }, ' ': { id: long } },
      individual_risk_categories: { [long]: { id: 'c', mitigation: ' ', risks_identified: { '<b></b>': { most_relevant_technical_asset: 'x' } } } },
    };
    const t = schemaClean(importModel('threagile', JSON.stringify(threagile)), 'threagile');
    assert.equal(Object.keys(t.elements ?? {}).length, 2);
    assert.ok(Object.values(t.threats ?? {}).every(x => x.title.length <= LIMITS.name));
  });

  it('deep nesting and too many YAML nodes are refused before the reader builds them', () => {
    const deepJson = `{"otmVersion": "0.2.0", "project": ${'['.repeat(100)}${']'.repeat(100)}}`;
    assert.match(importError('otm', deepJson), /Brackets nest deeper than 64 levels in the input \(at character \d+\); no Open Threat Model \(OTM\) file needs that/);
    let block = 'threagile_version: 1\ntechnical_assets:\n';
    for (let i = 1; i < 100; i++) block += `${' '.repeat(2 * i)}k${i}:\n`;
    assert.match(importError('threagile', block), /Lists and maps nest deeper than 64 levels/);
    const wide = 'otmVersion: 1\ncomponents:\n' + '- a\n'.repeat(600_000);
    assert.match(importError('otm', wide), /more than \d+ YAML nodes .*split the source model/);
  });

  it('input that is not text is an ImportError', () => {
    for (const v of [undefined, null, 42, {}, ['a']]) {
      assert.match(importError('otm', v as unknown as string), /empty/);
    }
  });

  it('survives every field of the corpus models replaced by hostile values (mutation fuzz)', function () {
    this.timeout(60_000);
    const hostile: unknown[] = [
      null, 0, -1e308, true, '', 'constructor', '__proto__', 'toString', 'x'.repeat(70_000), [], [null, 1, {}], {},
      JSON.parse('{"__proto__": {"polluted": true}, "toString": "x", "valueOf": 1}'),
    ];
    const sources: [ImportFormat, unknown][] = [
      ['threagile', parseYaml(corpusFile('threagile/threagile-example.yaml'), { merge: true })],
      ['threat-dragon', JSON.parse(corpusFile('threat-dragon/v2-threat-model.json'))],
      ['otm', JSON.parse(corpusFile('otm/EXAMPLE.json'))],
    ];
    let seed = 9;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let imports = 0;
    for (const [format, source] of sources) {
      // Every place a value sits (map entries and list items), as a path from the root.
      const paths: (string | number)[][] = [];
      const walk = (v: unknown, path: (string | number)[]) => {
        if (path.length > 0) paths.push(path);
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
        else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      };
      walk(source, []);
      for (let n = 0; n < 30; n++) {
        const path = paths[Math.floor(random() * paths.length)];
        const value = hostile[Math.floor(random() * hostile.length)];
        const copy = JSON.parse(JSON.stringify(source)) as Record<string, unknown>;
        let holder: any = copy;
        for (const key of path.slice(0, -1)) holder = holder[key];
        const last = path[path.length - 1];
        holder[last] = value;
        // Half the time, the same value also goes in under a prototype key beside it.
        if (n % 2 && holder && typeof holder === 'object' && !Array.isArray(holder)) Object.defineProperty(holder, n % 4 === 1 ? '__proto__' : 'constructor', { value, enumerable: true });
        const label = `${format}: ${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`;
        imports++;
        let result: ImportResult;
        try {
          result = importModel(format, JSON.stringify(copy));
        } catch (e) {
          assert.ok(e instanceof ImportError, `${label}: ${(e as Error)?.stack ?? String(e)}`);
          continue;
        }
        schemaClean(result, label);
      }
    }
    assert.equal(imports, 90);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('interop: the linear algorithms give the answers of the simple ones', () => {
  it('IdAllocator hands out the ids of counting up from 2 for each (also for ids cut to make room)', () => {
    /** The allocator as it was: for each repeated id, count up from 2. */
    const reference = () => {
      const used = new Set(['constructor', 'prototype', 'proto']);
      return (id: string, max = LIMITS.id) => {
        if (!used.has(id)) { used.add(id); return id; }
        for (let n = 2; ; n++) {
          const suffix = `-${n}`;
          const candidate = (id.length + suffix.length > max ? id.slice(0, max - suffix.length).replace(/[-.@]+$/, '') : id) + suffix;
          if (!used.has(candidate)) { used.add(candidate); return candidate; }
        }
      };
    };
    let seed = 1;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const long = 'x'.repeat(60);
    for (let round = 0; round < 20; round++) {
      const stems = ['api', 'api-2', 'api-2-2', 'db', `${long}ab`, `${long}abc`, `${long}a-b`, `${long}abcd`, 'x'.repeat(63), 'x'.repeat(64)];
      const fast = new IdAllocator();
      const slow = reference();
      for (let i = 0; i < 400; i++) {
        const base = random() < 0.2 ? `${stems[Math.floor(random() * stems.length)]}-${Math.floor(random() * 14)}` : stems[Math.floor(random() * stems.length)];
        // What take() makes of a base: valid ids of at most 64 characters are used as they are.
        const id = base.length <= LIMITS.id && ID_PATTERN.test(base) ? base : 'x'.repeat(LIMITS.id);
        assert.equal(fast.take(id, 'item'), slow(id), `round ${round}, id ${i}: ${id}`);
      }
    }
  });

  it('uniq keeps the first of each value, in order, at most LIMITS.list of them', () => {
    assert.deepEqual(uniq(['b', undefined, 'a', 'b', 'c', 'a']), ['b', 'a', 'c']);
    assert.equal(uniq(Array.from({ length: 2000 }, (_, i) => i % 700)).length, LIMITS.list);
  });

  it('RectGrid returns every rectangle that holds a point or lies within the margin of it', () => {
    let seed = 3;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const coordinate = () => (random() < 0.05 ? (random() < 0.5 ? -1 : 1) * 1e300 : (random() - 0.5) * 4000);
    for (const margin of [0, 50]) {
      const rects: (Rect | undefined)[] = Array.from({ length: 300 }, () => {
        if (random() < 0.05) return undefined;
        const big = random() < 0.1;
        return { x: coordinate(), y: coordinate(), w: (random() - 0.1) * (big ? 5000 : 200), h: (random() - 0.1) * (big ? 5000 : 200) };
      });
      const grid = new RectGrid(rects, margin);
      const near = (r: Rect, px: number, py: number) => {
        const [x0, x1] = [Math.min(r.x, r.x + r.w), Math.max(r.x, r.x + r.w)];
        const [y0, y1] = [Math.min(r.y, r.y + r.h), Math.max(r.y, r.y + r.h)];
        return px >= x0 - margin && px <= x1 + margin && py >= y0 - margin && py <= y1 + margin;
      };
      for (let q = 0; q < 2000; q++) {
        // Points on edges and corners too, where rounding could lose a rectangle.
        const r = rects[Math.floor(random() * rects.length)];
        const [px, py] = r && random() < 0.5 ? [r.x + (random() < 0.5 ? 0 : r.w) + (random() < 0.5 ? margin : 0), r.y + (random() < 0.5 ? 0 : r.h)] : [coordinate(), coordinate()];
        const got = grid.near(px, py);
        assert.deepEqual(got, [...got].sort((a, b) => a - b), 'ascending');
        const found = new Set(got);
        rects.forEach((rect, i) => {
          if (rect && near(rect, px, py)) assert.ok(found.has(i), `margin ${margin}: rectangle ${i} ${JSON.stringify(rect)} near (${px}, ${py})`);
          if (!rect) assert.ok(!found.has(i));
        });
      }
    }
  });
});
