/**
 * Every export validates (#14): each corpus file of every tool and each bundled example, exported to each of the
 * four formats, is valid against that tool's own schema and imports again schema-clean; when the re-import
 * lacks something of the model, the export's notes said so.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EXPORT_FORMATS, exportModelWithNotes, importModel, type ExportFormat, type ImportFormat } from '../../../src/core/interop/index';
import { parseModel } from '../../../src/core/model/parse';
import type { Model } from '../../../src/core/model/schema';
import { assertSchemaClean, corpusFile, corpusJson } from './corpus';

/* eslint-disable @typescript-eslint/no-require-imports */
const Ajv = require('ajv');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
/* eslint-enable @typescript-eslint/no-require-imports */

const draft7 = new Ajv({ allErrors: true, strict: false });
const draft2020 = new Ajv2020({ allErrors: true, strict: false });
addFormats(draft2020);
const td = corpusJson('threat-dragon/schema/threat-dragon-v2.schema.json') as any;
// Threagile's schema names its meta-schema with https and its address with draft-04's `id`: neither is a rule.
const { $schema: _meta, id: _id, ...threagile } = corpusJson('threagile/schema.json');
const validateTdThreat = draft7.compile(td.properties.detail.properties.diagrams.items.properties.cells.items.properties.threats.items);
const VALIDATE: Record<ExportFormat, { check: (v: unknown) => boolean; errors: () => unknown; read: (text: string) => unknown }> = (() => {
  const v = {
    threagile: draft7.compile(threagile), 'threat-dragon': draft7.compile(td), otm: draft7.compile(corpusJson('otm/otm_schema.json')),
    'threat-composer': draft2020.compile(corpusJson('threat-composer/threat-composer-v1.schema.json')),
  };
  const json = (text: string) => JSON.parse(text);
  return {
    threagile: { check: v.threagile, errors: () => v.threagile.errors, read: text => parseYaml(text) },
    'threat-dragon': {
      // The schema describes a threat's fields under the cell; Threat Dragon keeps them in `data.threats`: those too.
      check: (x: any) => v['threat-dragon'](x) && x.detail.diagrams.every((d: any) => d.cells.every((c: any) => (c.data?.threats ?? []).every((t: unknown) => validateTdThreat(t)))),
      errors: () => v['threat-dragon'].errors ?? validateTdThreat.errors, read: json,
    },
    otm: { check: v.otm, errors: () => v.otm.errors, read: json },
    'threat-composer': { check: v['threat-composer'], errors: () => v['threat-composer'].errors, read: json },
  };
})();

const CORPUS: [ImportFormat, string][] = [
  ['threagile', 'threagile/threagile-example.yaml'], ['threagile', 'threagile/threagile-stub.yaml'],
  ['threat-dragon', 'threat-dragon/v2-threat-model.json'], ['threat-dragon', 'threat-dragon/three-tier-web-app.json'],
  ['threat-dragon', 'threat-dragon/generic-cms.json'], ['threat-dragon', 'threat-dragon/v2-new-model.json'],
  ['otm', 'otm/EXAMPLE.json'], ['otm', 'otm/EXAMPLE.yaml'],
  ['threat-composer', 'threat-composer/reinforce2024-ex1.tc.json'], ['threat-composer', 'threat-composer/ThreatModelingForBuilders-Exercise4.tc.json'],
];
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

const models: [string, () => Model][] = [
  ...CORPUS.map(([format, file]) => [file, () => parseModel(importModel(format, corpusFile(file)).yaml).model] as [string, () => Model]),
  ...readdirSync(EXAMPLES).filter(f => f.endsWith('.threatmodel.yaml')).map(f => [`examples/${f}`, () => parseModel(readFileSync(join(EXAMPLES, f), 'utf8')).model] as [string, () => Model]),
];

const count = (o: object | undefined) => Object.keys(o ?? {}).length;

describe('interop: every export is valid against its tool\'s schema (#14)', () => {
  for (const [label, load] of models) {
    it(`${label}: to ${EXPORT_FORMATS.join(', ')}`, function () {
      this.timeout(60_000);
      const model = load();
      for (const format of EXPORT_FORMATS) {
        const { text, notes } = exportModelWithNotes(format, model);
        const value = VALIDATE[format].read(text);
        assert.ok(VALIDATE[format].check(value), `${label} -> ${format}: ${JSON.stringify(VALIDATE[format].errors())?.slice(0, 800)}`);
        if (format === 'threagile' && !count(model.elements) && !count(model.assets) && !count(model.boundaries) && !count(model.threats)) {
          // An empty Threagile model is refused on import, never taken in silently as empty (a split model's part).
          assert.throws(() => importModel(format, text), /nothing to import/);
          continue;
        }
        const again = assertSchemaClean(importModel(format, text), `${label} -> ${format} -> Rampart`);
        // What does not come back was said: the count of threats and of elements (Threat Composer has none).
        if (count(again.threats) < count(model.threats)) assert.ok(notes.some(n => /threat/i.test(n)), `${label} -> ${format}: fewer threats, and no note says why`);
        if (count(again.elements) < count(model.elements)) assert.ok(notes.some(n => /element/i.test(n)), `${label} -> ${format}: fewer elements, and no note says why`);
      }
    });
  }
});
