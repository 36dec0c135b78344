import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_RULE_META } from '../../src/core/rules/index';
import { jsonSchemaText } from '../../src/core/model/jsonSchema';
import { renderRuleDocs, renderSettingsDocs } from '../../scripts/ruleDocs';
import { ruleDocsUrl } from '../../src/core/rules/docs';

const ROOT = path.resolve(__dirname, '../..');

describe('generated files are current', () => {
  it('schemas/threatmodel.schema.json matches the zod schema (run `npm run schema`)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, 'schemas/threatmodel.schema.json'), 'utf8'), jsonSchemaText());
  });

  it('the README documents every rule with its current metadata (run `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes(renderRuleDocs(ALL_RULE_META)), 'rule reference is stale');
    for (const r of ALL_RULE_META) assert.ok(readme.includes(`\`${r.id}\``), r.id);
  });

  it('the documentation link of every rule (diagnostics, SARIF) lands on its README anchor', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const r of ALL_RULE_META) {
      const anchor = ruleDocsUrl(r.id).split('#')[1];
      assert.ok(readme.includes(`<a id="${anchor}"></a>\`${r.id}\``), `${r.id} -> #${anchor}`);
    }
  });

  it('the README documents every setting (run `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok(readme.includes(renderSettingsDocs(pkg.contributes.configuration.properties)), 'settings reference is stale');
  });

  it('every rule has complete metadata', () => {
    for (const r of ALL_RULE_META) {
      assert.match(r.id, /^(schema|risk|stride|design|discover|trace|plan|pasta|linddun|intel)\/[a-z0-9-]+$/, r.id);
      assert.ok(r.title && r.description.length > 20 && r.advice.length > 10, r.id);
      if (r.category === 'design' && r.id !== 'design/obsolete-suggestion') assert.ok(r.stride?.length && r.cwe?.length && r.detection && r.falsePositives, `${r.id} design metadata`);
    }
  });
});
