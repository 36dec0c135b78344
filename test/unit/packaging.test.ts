/** What the .vsix ships (issue #10): the built extension and its static contributions, nothing else. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('packaging', function () {
  this.timeout(120_000);

  it('the .vsix holds the bundles, grammar, schema, icon, walkthrough and docs: no screenshots, source maps or sources', () => {
    const r = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').map(l => l.trim()).filter(Boolean).sort();
    assert.deepEqual(files, [
      'CHANGELOG.md', 'LICENSE', 'README.md',
      'dist/extension.js', 'dist/server.js', 'dist/webview/elk.js', 'dist/webview/main.css', 'dist/webview/main.js',
      'language-configuration.json', 'media/icon.png',
      'media/walkthrough/elements.md', 'media/walkthrough/mitigate.md', 'media/walkthrough/prioritise.md',
      'media/walkthrough/report.md', 'media/walkthrough/start.md', 'media/walkthrough/threats.md',
      'package.json',
      'schemas/library.schema.json', 'schemas/threatmodel.schema.json', 'syntaxes/threatmodel.tmLanguage.json',
    ]);
  });
});
