/**
 * Annotations in source comments (`@mitigates`, `@threat`, `@accepts`, `@model`): which comments count in each
 * language, where the ids are, and what is not an annotation (code, strings, docstrings, emails, bad ids).
 */
import assert from 'node:assert/strict';
import {
  ANNOTATION_LIMITS, isScannableName, mayHoldAnnotations, scanAnnotations, type Annotation,
} from '../../../src/core/trace/annotations';

/** `line:column kind id [with m]` for each annotation: short enough to read a whole file's result at once. */
function scan(file: string, text: string): string[] {
  return scanAnnotations(file, text).map(a => `${a.line}:${a.column} ${a.kind} ${a.id}${a.with ? ` with ${a.with}` : ''}`);
}

/** The lines joined with LF. */
const lines = (...ls: string[]) => ls.join('\n');

describe('trace: annotations in source comments', () => {
  describe('languages', () => {
    it('TypeScript: a line comment after code, with a mitigation, and a JSDoc block over several lines', () => {
      const text = lines(
        "import { Pool } from 'pg';",
        '',
        '/**',
        ' * Looks a customer up by email.',
        ' * @mitigates sql-injection with parameterized-queries',
        ' * @threat info-leak @threat enumeration',
        ' */',
        'export async function findCustomer(pool: Pool, email: string) {',
        "  const url = 'https://api.example.com/v1'; // @accepts slow-lookup",
        '  return pool.query(`SELECT * FROM customers WHERE email = $1`, [email]);',
        '}',
      );
      assert.deepEqual(scan('src/db/customers.ts', text), [
        '5:14 mitigates sql-injection with parameterized-queries',
        '6:11 threat info-leak',
        '6:29 threat enumeration',
        '9:56 accepts slow-lookup',
      ]);
    });

    it('gives the exact columns of the threat id and of the mitigation id', () => {
      const [a] = scanAnnotations('auth.ts', '  // @mitigates session-fixation with rotate-session-id.\n');
      assert.deepEqual(a, {
        kind: 'mitigates', id: 'session-fixation', with: 'rotate-session-id', file: 'auth.ts', line: 1,
        column: 16, endColumn: 32, withColumn: 38, withEndColumn: 55,
      } satisfies Annotation);
    });

    it('Python: # comments count; docstrings, strings, decorators and the shebang do not', () => {
      const text = lines(
        '#!/usr/bin/env python3  # @threat not-in-a-shebang',
        '"""Payment webhooks.',
        '',
        '# @threat in-a-module-docstring',
        '"""',
        'import hmac',
        '',
        '@accepts(bytes)  # @mitigates webhook-forgery with hmac-signature',
        'def verify(body: bytes, sig: str) -> bool:',
        "    '''Checks the signature. @threat in-a-function-docstring'''",
        '    hint = "use # @threat in-a-string"',
        '    return hmac.compare_digest(sig, sign(body))  # @threat timing-attack.',
      );
      assert.deepEqual(scan('payments/webhooks.py', text), [
        '8:30 mitigates webhook-forgery with hmac-signature',
        '12:59 threat timing-attack',
      ]);
    });

    it('Go: a URL in a string before the comment does not hide the annotation; a raw string is not a comment', () => {
      const text = lines(
        'package gateway',
        '',
        '// @model api-gateway',
        'const upstream = "http://orders:8080" // @threat ssrf',
        'const help = `see // @threat not-a-comment`',
        'func proxy(w http.ResponseWriter, r *http.Request) { /* @mitigates ssrf with allow-list */ }',
      );
      assert.deepEqual(scan('cmd/gateway/main.go', text), [
        '3:10 model api-gateway',
        '4:49 threat ssrf',
        '6:67 mitigates ssrf with allow-list',
      ]);
    });

    it('Java: Javadoc over several lines counts, a text block holding `//` does not', () => {
      const text = lines(
        'package shop.orders;',
        '',
        '/**',
        ' * Order controller.',
        ' *',
        ' * @model orders-api',
        ' */',
        '@RestController',
        'public class OrderController {',
        '    static final String DOC = """',
        '        // @threat not-a-comment',
        '        """;',
        '    @PostMapping("/orders") // @mitigates csrf with same-site-cookies',
        '    public Order create(@RequestBody Order o) { return o; }',
        '}',
      );
      assert.deepEqual(scan('src/main/java/shop/orders/OrderController.java', text), [
        '6:10 model orders-api',
        '13:42 mitigates csrf with same-site-cookies',
      ]);
    });

    it('SQL: -- and /* */ comments count, `--` inside a quoted literal does not', () => {
      const text = lines(
        '-- @model orders-db',
        "SELECT id FROM users WHERE name = '-- @threat not-a-comment' -- @threat sql-injection",
        '/* Row-level security:',
        '   @mitigates tenant-data-leak with row-level-security */',
        "INSERT INTO notes VALUES ('it''s fine'); -- @accepts noisy-audit-log",
      );
      assert.deepEqual(scan('db/migrations/001_init.sql', text), [
        '1:10 model orders-db',
        '2:72 threat sql-injection',
        '4:14 mitigates tenant-data-leak with row-level-security',
        '5:53 accepts noisy-audit-log',
      ]);
    });

    it('HTML: <!-- --> comments, on one line or several, with `-->` right after the id', () => {
      const text = lines(
        '<!doctype html>',
        "<p>Don't worry <!-- @threat clickjacking--> about it.</p>",
        '<!--',
        '  @mitigates xss with content-security-policy',
        '-->',
        '<a href="https://example.com/@threat">not a comment @threat text</a>',
      );
      assert.deepEqual(scan('web/index.html', text), [
        '2:28 threat clickjacking',
        '4:13 mitigates xss with content-security-policy',
      ]);
    });

    it('Ruby and shell: # comments count, but not `$#`, `${#x}` or `#` inside a string', () => {
      assert.deepEqual(scan('app/models/user.rb', lines(
        '# @model user-service',
        'class User < ApplicationRecord',
        '  has_secure_password # @mitigates credential-theft with bcrypt',
        '  def greeting = "Hi #{name} # @threat not-a-comment"',
        'end',
      )), ['1:9 model user-service', '3:35 mitigates credential-theft with bcrypt']);
      assert.deepEqual(scan('deploy.sh', lines(
        '#!/bin/sh',
        'echo $# @threat not-a-comment ${#x} # @accepts plaintext-logs',
        'echo "# @threat not-a-comment"',
      )), ['2:47 accepts plaintext-logs']);
    });

    it('C: a block comment spanning lines counts until it closes, code after the close does not', () => {
      const text = lines(
        '#include <openssl/evp.h>',
        '/* Key handling.',
        ' * @mitigates key-disclosure with zeroize-keys',
        '   @threat side-channel */ int main(void) { puts("@threat not-a-comment"); }',
        'static int n; /* @threat one */ int m; /* @threat two */',
      );
      assert.deepEqual(scan('src/crypto.c', text), [
        '3:14 mitigates key-disclosure with zeroize-keys',
        '4:11 threat side-channel',
        '5:25 threat one',
        '5:50 threat two',
      ]);
    });

    it('YAML: # comments count, `#` inside a quoted value or a URL does not', () => {
      const text = lines(
        '# @model ci-pipeline',
        'on: push',
        'env:',
        '  NOTE: "deploys # @threat not-a-comment"',
        '  DOCS: https://example.com/#@threat-fragment',
        'jobs:',
        '  deploy:',
        '    permissions: { id-token: write } # @mitigates stolen-deploy-key with oidc-federation',
      );
      assert.deepEqual(scan('.github/workflows/deploy.yml', text), [
        '1:9 model ci-pipeline',
        '8:50 mitigates stolen-deploy-key with oidc-federation',
      ]);
    });

    it('Rust: nested block comments and lifetimes', () => {
      const text = lines(
        "fn parse<'a>(input: &'a str) -> &'a str { input } // @threat parser-dos",
        '/* outer /* inner */ still a comment @threat nested-comment */',
        '/* @threat not-closed-on-this-line',
        '   */ fn main() {} // @accepts unsafe-block',
      );
      assert.deepEqual(scan('src/parse.rs', text), [
        '1:61 threat parser-dos',
        '2:45 threat nested-comment',
        '3:11 threat not-closed-on-this-line',
        '4:31 accepts unsafe-block',
      ]);
    });

    it('Haskell, OCaml, Lua and Lisp block and line comments', () => {
      assert.deepEqual(scan('src/Auth.hs', lines(
        '{- @model auth-service {- nested -} @threat inner-still-comment -}',
        'verify :: Token -> Bool -- @mitigates token-forgery with signature-check',
      )), ['1:10 model auth-service', '1:44 threat inner-still-comment', '2:38 mitigates token-forgery with signature-check']);
      assert.deepEqual(scan('lib/session.ml', '(* @threat session-hijack*) let x = 1\n'), ['1:11 threat session-hijack']);
      assert.deepEqual(scan('nginx/auth.lua', lines('--[[', '  @mitigates brute-force with rate-limit', ']]', 'local x = 1 -- @threat bypass')),
        ['2:13 mitigates brute-force with rate-limit', '4:23 threat bypass']);
      assert.deepEqual(scan('src/core.clj', ';; @model billing\n(defn charge [x] "; @threat not-a-comment" x)\n'), ['1:10 model billing']);
    });

    it('TeX, Erlang, VB, batch and ini comments', () => {
      assert.deepEqual(scan('paper.tex', '50\\% @threat not-a-comment % @threat data-poisoning\n'), ['1:37 threat data-poisoning']);
      assert.deepEqual(scan('src/auth.erl', '-module(auth). % @model auth-node\n'), ['1:24 model auth-node']);
      assert.deepEqual(scan('Module1.vb', lines(
        'Dim s = "it\'s @threat not-a-comment" \' @threat macro-abuse',
        'REM @accepts legacy-crypto',
      )), ['1:47 threat macro-abuse', '2:13 accepts legacy-crypto']);
      assert.deepEqual(scan('build.bat', lines('@echo off', ':: @threat path-hijack', 'rem @model build-agent')),
        ['2:11 threat path-hijack', '3:11 model build-agent']);
      assert.deepEqual(scan('php.ini', '; @threat rce\nexpose_php = Off ; @mitigates info-leak\n'),
        ['1:10 threat rce', '2:30 mitigates info-leak']);
    });

    it('Markdown: <!-- --> comments count, examples in fenced code blocks and inline code do not', () => {
      const text = lines(
        '<!-- @model docs-site -->',
        '# Annotating code',
        'Write `<!-- @threat inline-example -->` in a comment:',
        '```ts',
        '// @mitigates sql-injection with parameterized-queries',
        '<!-- @threat fenced-example -->',
        '```',
        '~~~md',
        '```ts',
        '<!-- @threat only-a-backtick-fence-closed -->',
        '~~~',
        '<!-- @accepts stale-docs -->',
      );
      assert.deepEqual(scan('docs/annotations.md', text), ['1:12 model docs-site', '12:14 accepts stale-docs']);
    });

    it('an unknown kind of file gets the common comment markers', () => {
      assert.deepEqual(scan('Jenkinsfile.custom', lines('// @model ci', 'x -- @threat a', '# @threat b', 'a#@threat c')),
        ['1:10 model ci', '2:13 threat a', '3:10 threat b']);
    });

    it('the comment marker may be glued to the keyword, or decorated (`//@`, `/**@`, `///`, `//!<`)', () => {
      assert.deepEqual(scan('a.ts', lines('//@threat a', '/**@threat b*/', '/// @threat c', '//!<@threat d')),
        ['1:10 threat a', '2:11 threat b', '3:12 threat c', '4:12 threat d']);
    });
  });

  describe('what is not an annotation', () => {
    it('annotations in code, not in a comment', () => {
      assert.deepEqual(scan('Views/Orders/Index.cshtml', '@model OrdersViewModel\n@model orders-page\n'), []);
      assert.deepEqual(scan('app.py', 'decorators = [threat for threat in ts]\n@accepts(int)\ndef f(x): pass\n'), []);
    });

    it('annotations inside strings, even ones that hold a comment marker', () => {
      assert.deepEqual(scan('a.ts', lines(
        'const a = "// @threat in-double-quotes";',
        "const b = '/* @threat in-single-quotes */';",
        'const c = `# @threat in-backticks`;',
        'const d = "escaped \\" // @threat still-in-string";',
      )), []);
    });

    it('emails, glued words and other keywords', () => {
      assert.deepEqual(scan('a.ts', lines(
        '// Contact security@mitigates.io or ops@threat.example',
        '// @mitigatesX foo @threats foo @Threat foo @THREAT foo @model: foo x@model foo',
        '// (@threat foo) "@threat foo"',
      )), []);
    });

    it('a keyword without an id or with an invalid id', () => {
      assert.deepEqual(scan('a.ts', lines(
        '// @mitigates',
        '// @threat SQL-Injection @threat sqlInjection @threat sql_injection @threat -leading @threat double--dash',
        '// @threat foo/bar @threat foo(x) @threat foo=1 @threat @threat',
        '// @model checkout@web',
        `// @model ${'a'.repeat(65)}`,
      )), []);
    });

    it('a suggested threat id `rule@element` is a threat id but not an element id', () => {
      assert.deepEqual(scan('a.ts', '// @threat design-unencrypted-flow@checkout @model web@x @model web\n'),
        ['1:11 threat design-unencrypted-flow@checkout', '1:64 model web']);
    });

    it('an id at the longest the schema allows still counts', () => {
      const id = 'a'.repeat(64);
      assert.deepEqual(scan('a.ts', `// @model ${id}`), [`1:10 model ${id}`]);
    });
  });

  describe('ids and punctuation', () => {
    it('trailing punctuation and comment closers are not part of the id', () => {
      assert.deepEqual(scan('a.ts', lines(
        '// See @threat replay. Also @threat csrf, and (@threat x) @threat xss) @threat dos: yes',
        '/* @threat clickjacking*/',
        '// @threat spoofing... @threat ssrf!',
      )), [
        '1:15 threat replay', '1:36 threat csrf', '1:66 threat xss', '1:79 threat dos',
        '2:11 threat clickjacking',
        '3:11 threat spoofing', '3:31 threat ssrf',
      ]);
    });

    it('`with` is only read right after the threat id of @mitigates', () => {
      assert.deepEqual(scan('a.ts', lines(
        '// @mitigates xss with',
        '// @mitigates xss with Output_Encoding',
        '// @mitigates xss, with output-encoding',
        '// @threat xss with output-encoding',
        '// @mitigates xss   with   output-encoding',
        '// @mitigates xss without-escaping',
      )), [
        '1:14 mitigates xss',
        '2:14 mitigates xss',
        '3:14 mitigates xss',
        '4:11 threat xss',
        '5:14 mitigates xss with output-encoding',
        '6:14 mitigates xss',
      ]);
    });
  });

  describe('lines and columns', () => {
    it('CRLF and lone CR line endings count one line each, with columns per line', () => {
      const text = '// @model api\r\nx = 1\r\n  // @threat dos\rlet y // @accepts z\n';
      assert.deepEqual(scan('a.ts', text), ['1:10 model api', '3:13 threat dos', '4:18 accepts z']);
    });

    it('a byte-order mark does not shift the columns of line 1, and a BOM before a shebang still skips it', () => {
      assert.deepEqual(scan('a.ts', '\uFEFF// @model api\n'), ['1:10 model api']);
      assert.deepEqual(scan('a.sh', '\uFEFF#!/bin/sh # @threat x\n# @threat y\n'), ['2:10 threat y']);
    });

    it('columns count UTF-16 code units', () => {
      assert.deepEqual(scan('a.ts', '// 🔒 @threat key-theft\n'), ['1:14 threat key-theft']);
    });
  });

  describe('limits and speed', () => {
    it(`a file of more than ANNOTATION_LIMITS.fileSize characters is not scanned`, () => {
      const tail = '\n// @threat x';
      const fits = 'x'.repeat(ANNOTATION_LIMITS.fileSize - tail.length) + tail;
      assert.equal(fits.length, ANNOTATION_LIMITS.fileSize);
      assert.deepEqual(scan('a.ts', fits), ['2:11 threat x']);
      assert.deepEqual(scan('a.ts', `x${fits}`), []);
    });

    it('stops at ANNOTATION_LIMITS.perFile annotations', () => {
      const text = '// @threat a\n'.repeat(ANNOTATION_LIMITS.perFile + 5);
      const found = scanAnnotations('a.ts', text);
      assert.equal(found.length, ANNOTATION_LIMITS.perFile);
      assert.equal(found.at(-1)!.line, ANNOTATION_LIMITS.perFile);
      const onOneLine = `// ${'@threat a '.repeat(ANNOTATION_LIMITS.perFile + 5)}`;
      assert.equal(scanAnnotations('a.ts', onOneLine).length, ANNOTATION_LIMITS.perFile);
    });

    it('mayHoldAnnotations tells a file that cannot hold one', () => {
      assert.equal(mayHoldAnnotations('import x from "y"; // @param z @Override'), false);
      for (const k of ['@mitigates', '@threat', '@accepts', '@model']) assert.equal(mayHoldAnnotations(`a ${k} b`), true, k);
    });

    it('a 2 MB file without annotations, and hostile lines of 256 K, are scanned to the right answer (speed is npm run bench\'s, not a test\'s)', () => {
      const M = 256 * 1024;
      const line = 'const x = "hello"; // a comment line with some words in it\n';
      const twoMB = Math.floor(ANNOTATION_LIMITS.fileSize / line.length);
      const inputs: [string, string][] = [
        ['no @ at all', line.repeat(twoMB)],
        ['one annotation at the end', line.repeat(twoMB - 1) + '// @threat x'],
        ['unclosed escaped quotes', "\\'".repeat(M / 2) + ' // @threat x'],
        ['empty block comments', '/**/'.repeat(M / 4) + ' // @threat x'],
        ['at signs', `// ${'@'.repeat(M)} @threat x`],
        ['keywords without ids', `// ${'@threat '.repeat(M / 8)}@threat x`],
        ['nested block openers', '/*'.repeat(M / 2) + ' @threat x'],
        ['lone CRs', '\r'.repeat(M) + '// @threat x'],
      ];
      for (const [name, text] of inputs) {
        const found = scanAnnotations(name.includes('nested') ? 'a.rs' : 'a.ts', text);
        assert.equal(found.length, name === 'no @ at all' ? 0 : 1, name);
      }
    });
  });

  describe('isScannableName', () => {
    it('takes source code and config text, in any folder and case', () => {
      for (const name of ['src/app.ts', 'C:\\repo\\Main.JAVA', 'Dockerfile', 'Makefile', 'deploy/values.yaml', '.env.local',
        'CMakeLists.txt', 'web/index.html', 'README.md', 'scripts/run']) {
        assert.equal(isScannableName(name), true, name);
      }
    });

    it('skips images, archives, lock files, minified bundles, prose, patches and threat models', () => {
      for (const name of ['logo.png', 'icon.svg', 'release.tar.gz', 'app.jar', 'package-lock.json', 'yarn.lock', 'Cargo.lock',
        'go.sum', 'pnpm-lock.yaml', 'dist/app.min.js', 'styles.min.css', 'app.js.map', 'notes.txt', 'fix.patch',
        'payments.threatmodel.yaml', 'models/Shop.threatmodel.yml', 'db.sqlite']) {
        assert.equal(isScannableName(name), false, name);
      }
    });
  });
});
