/**
 * The TextMate grammar (syntaxes/threatmodel.tmLanguage.json). A grammar that fails to load silently
 * breaks highlighting, so: the JSON must parse, every include must resolve, every regex must compile (in
 * JavaScript, and use only constructs Oniguruma reads the same way), and real model lines must get the
 * scopes themes colour. The last part runs a small TextMate tokenizer below (first match wins, ties go to
 * the end pattern then to pattern order, begin/end regions with back-references, lines end in "\n"), the
 * way vscode-textmate applies a grammar.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Capture { name?: string }
interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  contentName?: string;
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  patterns?: Rule[];
}
interface Grammar { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> }

const root = join(__dirname, '..', '..');
const grammarText = readFileSync(join(root, 'syntaxes', 'threatmodel.tmLanguage.json'), 'utf8');
const grammar = JSON.parse(grammarText) as Grammar;
const example = (name: string) => readFileSync(join(root, 'examples', `${name}.threatmodel.yaml`), 'utf8');

function* allRules(rules: Rule[] | undefined): Generator<Rule> {
  for (const r of rules ?? []) {
    yield r;
    yield* allRules(r.patterns);
  }
}
const everyRule = () => [...allRules(grammar.patterns), ...allRules(Object.values(grammar.repository))];

// ---- a minimal TextMate tokenizer -------------------------------------------------------------------

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const compiled = new Map<string, RegExp>();
function re(source: string): RegExp {
  let r = compiled.get(source);
  if (!r) {
    r = new RegExp(source, 'dgm');
    compiled.set(source, r);
  }
  return r;
}

function resolve(rules: Rule[] | undefined, seen = new Set<Rule>()): Rule[] {
  const out: Rule[] = [];
  for (const r of rules ?? []) {
    if (r.include) {
      assert.ok(r.include.startsWith('#'), `only repository includes are used: ${r.include}`);
      const target = grammar.repository[r.include.slice(1)];
      assert.ok(target, `include ${r.include} resolves`);
      if (seen.has(target)) continue;
      out.push(...(target.match || target.begin ? [target] : resolve(target.patterns, new Set([...seen, target]))));
    } else if (r.match || r.begin) out.push(r);
    else out.push(...resolve(r.patterns, seen));
  }
  return out;
}

interface Frame { rule: Rule; end: RegExp; outer: string[]; inner: string[] }
const split = (name: string | undefined) => (name ? name.split(' ') : []);

/** Scopes of every character of every line. */
function tokenize(text: string): string[][][] {
  const stack: Frame[] = [];
  const lines = text.split('\n');
  const out: string[][][] = [];
  for (const line of lines) {
    const s = line + '\n';
    const chars: string[][] = Array.from({ length: line.length }, () => []);
    const fill = (a: number, b: number, scopes: string[]) => { for (let i = a; i < Math.min(b, line.length); i++) chars[i] = scopes; };
    const caps = (m: RegExpExecArray, captures: Record<string, Capture> | undefined) => {
      for (const [k, c] of Object.entries(captures ?? {})) {
        const range = m.indices?.[Number(k)];
        if (!range || !c.name) continue;
        for (let i = range[0]; i < Math.min(range[1], line.length); i++) chars[i] = [...chars[i], ...split(c.name)];
      }
    };
    let pos = 0;
    let guard = 0;
    while (pos <= line.length) {
      assert.ok(++guard < 10 * line.length + 100, `the grammar loops on: ${line}`);
      const top = stack[stack.length - 1];
      const base = top ? top.inner : [grammar.scopeName];
      let best: { m: RegExpExecArray; rule?: Rule } | undefined;
      if (top) {
        top.end.lastIndex = pos;
        const m = top.end.exec(s);
        if (m && m.index <= line.length) best = { m };
      }
      for (const rule of resolve(top ? top.rule.patterns : grammar.patterns)) {
        const r = re((rule.match ?? rule.begin)!);
        r.lastIndex = pos;
        const m = r.exec(s);
        if (m && m.index <= line.length && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) {
        fill(pos, line.length, base);
        break;
      }
      const { m, rule } = best;
      const endPos = m.index + m[0].length;
      fill(pos, m.index, base);
      if (!rule) {
        fill(m.index, endPos, top.outer);
        caps(m, top.rule.endCaptures ?? top.rule.captures);
        stack.pop();
      } else if (rule.match) {
        const scopes = [...base, ...split(rule.name)];
        fill(m.index, endPos, scopes);
        caps(m, rule.captures);
      } else {
        const outer = [...base, ...split(rule.name)];
        const inner = [...outer, ...split(rule.contentName)];
        fill(m.index, endPos, outer);
        caps(m, rule.beginCaptures ?? rule.captures);
        const end = rule.end!.replace(/\\(\d+)/g, (_, n: string) => escapeRe(m[Number(n)] ?? ''));
        stack.push({ rule, end: new RegExp(end, 'dgm'), outer, inner });
      }
      if (endPos === m.index && rule?.match) {
        fill(pos, pos + 1, base);
        pos = endPos + 1;
      } else pos = endPos;
      if (endPos === m.index && pos >= line.length) break;
    }
    out.push(chars);
  }
  return out;
}

/** The scopes of `needle` (its n-th occurrence) on the first line that contains `lineMatch`. */
function scopesOf(tokens: string[][][], text: string, lineMatch: string | RegExp, needle: string, occurrence = 0): string[][] {
  const lines = text.split('\n');
  const i = lines.findIndex(l => (typeof lineMatch === 'string' ? l.includes(lineMatch) : lineMatch.test(l)));
  assert.ok(i >= 0, `no line matches ${String(lineMatch)}`);
  let at = -1;
  for (let k = 0; k <= occurrence; k++) at = lines[i].indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" is not on line ${i + 1}: ${lines[i]}`);
  return tokens[i].slice(at, at + needle.length);
}

/** Every character of the needle carries a scope equal to `scope` or starting with `scope.` (a theme selector). */
function hasScope(tokens: string[][][], text: string, lineMatch: string | RegExp, needle: string, scope: string, occurrence = 0) {
  const chars = scopesOf(tokens, text, lineMatch, needle, occurrence);
  const ok = chars.every(c => c.some(s => s === scope || s.startsWith(scope + '.')));
  assert.ok(ok, `"${needle}" on ${String(lineMatch)} should be ${scope}, got ${JSON.stringify([...new Set(chars.flat())])}`);
}
function lacksScope(tokens: string[][][], text: string, lineMatch: string | RegExp, needle: string, scope: string) {
  const chars = scopesOf(tokens, text, lineMatch, needle);
  assert.ok(chars.every(c => !c.some(s => s === scope || s.startsWith(scope + '.'))), `"${needle}" should not be ${scope}: ${JSON.stringify([...new Set(chars.flat())])}`);
}

// ---- tests --------------------------------------------------------------------------------------------

describe('TextMate grammar', () => {
  it('is valid JSON with the scope name, top-level patterns and a repository', () => {
    assert.equal(grammar.scopeName, 'source.threatmodel');
    assert.ok(Array.isArray(grammar.patterns) && grammar.patterns.length > 0);
    assert.ok(Object.keys(grammar.repository).length > 10);
  });

  it('every include resolves, and every rule is a match, a begin/end pair, or a pattern list', () => {
    for (const r of everyRule()) {
      if (r.include) assert.ok(grammar.repository[r.include.replace(/^#/, '')], `include ${r.include}`);
      else if (r.begin) assert.ok(typeof r.end === 'string', `begin ${r.begin} has an end`);
      else if (!r.match) assert.ok(Array.isArray(r.patterns), 'a rule without match/begin is a pattern list');
    }
  });

  it('every regex compiles in JavaScript and uses no Oniguruma-only construct', () => {
    let count = 0;
    for (const r of everyRule()) {
      for (const key of ['match', 'begin', 'end'] as const) {
        const src = r[key];
        if (src === undefined) continue;
        count++;
        // End patterns may refer to begin captures (\1); vscode-textmate substitutes the captured text.
        const js = key === 'end' ? src.replace(/\\(\d+)/g, '  ') : src;
        assert.doesNotThrow(() => new RegExp(js, 'dgm'), `${key}: ${src}`);
        assert.doesNotThrow(() => new RegExp(js, 'u'), `${key} compiles with the u flag too (no ambiguous escapes): ${src}`);
        assert.doesNotMatch(src, /\\[hHAzZGK]|\(\?>|\(\?[imx]+[:)]|\[\[:|\\p\{|[*+?}]\+/, `${key} uses an Oniguruma-only construct: ${src}`);
        // Oniguruma needs fixed-length lookbehind; ours are all single characters or classes.
        for (const lb of src.matchAll(/\(\?<[=!]((?:\\.|\[(?:\\.|[^\]])*\]|[^)])*)\)/g)) {
          assert.doesNotMatch(lb[1].replace(/\\./g, 'x').replace(/\[(?:\\.|[^\]])*\]/g, 'x'), /[*+?{|]/, `fixed-length lookbehind in ${src}`);
        }
      }
    }
    assert.ok(count > 50, `${count} regexes checked`);
  });

  describe('sample lines match the intended rules', () => {
    const rule = (name: string) => grammar.repository[name];
    const first = (r: Rule): RegExp => new RegExp(r.match ?? r.begin ?? r.patterns!.map(p => p.match ?? p.begin).join('|'), 'm');

    it('top-level section keys, but not indented ones', () => {
      assert.match('threats:', new RegExp(rule('section-threats').begin!));
      assert.match('attack_trees:', new RegExp(rule('section-attack-trees').begin!));
      assert.match('policy:', first(rule('section-key')));
      assert.doesNotMatch('  policy:', first(rule('section-key')));
    });
    it('references, CVSS vectors and CWE ids', () => {
      assert.match('    from: customer-browser', first(rule('reference-pair')));
      assert.match('{ from: a, to: design-x@api }', first(rule('reference-pair')));
      assert.match('    targets: [api, checkout]', first(rule('reference-list-inline')));
      assert.match('    mitigations:', new RegExp(rule('reference-list-block').begin!));
      assert.doesNotMatch('    from: Customer browser', new RegExp(rule('reference-pair').match! + '$'));
      assert.match('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N', first(rule('cvss')));
      assert.match('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', first(rule('cvss')));
      assert.match('[CWE-294, CWE-89]', first(rule('cwe')));
      assert.doesNotMatch('XCWE-294', first(rule('cwe')));
    });
  });

  describe('tokenizing models', () => {
    const webshop = example('webshop-payments');
    const platform = example('service-platform');
    const starter = example('starter');
    const tw = tokenize(webshop);
    const tp = tokenize(platform);
    const ts = tokenize(starter);

    it('tokenizes every example to the end without looping, inside the document scope', () => {
      for (const tokens of [tw, tp, ts]) {
        for (const line of tokens) for (const c of line) assert.equal(c[0], 'source.threatmodel');
      }
    });

    it('top-level sections are keywords; ids under id-map sections are definitions', () => {
      hasScope(tw, webshop, /^threats:/, 'threats', 'keyword.other.section.threatmodel');
      hasScope(tw, webshop, /^rampart: 1/, 'rampart', 'keyword.other.section.threatmodel');
      hasScope(tw, webshop, /^rampart: 1/, '1', 'constant.numeric.integer.threatmodel');
      hasScope(tw, webshop, /^mitigations:/, 'mitigations', 'keyword.other.section.threatmodel');
      hasScope(tw, webshop, /^attack_trees:/, 'attack_trees', 'keyword.other.section.threatmodel');
      hasScope(tw, webshop, /^ {2}checkout-skimming:/, 'checkout-skimming', 'entity.name.type.id.threat.threatmodel');
      hasScope(tw, webshop, /^ {2}card-vault:/, 'card-vault', 'entity.name.type.id.element.threatmodel');
      hasScope(tw, webshop, /^ {2}unauthenticated-inbound@browse:/, 'unauthenticated-inbound@browse', 'entity.name.type.id.threat.threatmodel');
      hasScope(tw, webshop, /^ {2}internet: /, 'internet', 'entity.name.type.id.boundary.threatmodel');
      hasScope(tw, webshop, /^ {4}name: Card vault$/, 'name', 'entity.name.tag.threatmodel');
      lacksScope(tw, webshop, /^ {4}name: Card vault$/, 'name', 'entity.name.type.id');
    });

    it('STRIDE, status, likelihood, impact and risk words get their own scopes', () => {
      hasScope(tw, webshop, 'stride: [tampering, information-disclosure]', 'tampering', 'constant.language.stride.threatmodel');
      hasScope(tw, webshop, 'stride: [tampering, information-disclosure]', 'information-disclosure', 'constant.language.stride.information-disclosure.threatmodel');
      hasScope(tw, webshop, /^ {4}status: open$/, 'open', 'constant.language.status.threatmodel');
      hasScope(tw, webshop, /^ {4}status: open$/, 'open', 'constant.language.status.open.threatmodel');
      hasScope(tw, webshop, /^ {4}status: not-applicable$/, 'not-applicable', 'constant.language.status.not-applicable.threatmodel');
      hasScope(tw, webshop, /^ {4}status: in-progress$/, 'in-progress', 'constant.language.status.in-progress.threatmodel');
      hasScope(tw, webshop, /^ {4}likelihood: almost-certain$/, 'almost-certain', 'constant.language.likelihood.threatmodel');
      hasScope(tw, webshop, /^ {4}impact: severe$/, 'severe', 'constant.language.impact.severe.threatmodel');
      hasScope(tw, webshop, /^ {2}tolerance: medium/, 'medium', 'constant.language.risk.threatmodel');
      hasScope(tw, webshop, /^ {4}criticality: critical$/, 'critical', 'constant.language.risk.critical.threatmodel', 1);
      hasScope(tw, webshop, /^ {4}criticality: high$/, 'high', 'constant.language.risk.high.threatmodel');
      hasScope(tp, platform, /^ {4}likely: /, 'critical', 'constant.language.risk.critical.threatmodel');
      hasScope(tw, webshop, /^ {4}type: store$/, 'store', 'constant.language.type.store.threatmodel');
      hasScope(tw, webshop, /^ {4}classification: restricted$/, 'restricted', 'constant.language.classification.threatmodel');
      hasScope(tw, webshop, /^ {4}kind: vault$/, 'vault', 'constant.language.kind.threatmodel');
      hasScope(tw, webshop, /^ {4}controls: \[waf/, 'rate-limiting', 'constant.language.control.threatmodel');
      hasScope(tw, webshop, /^ {2}risk_driver: matrix/, 'matrix', 'constant.language.driver.threatmodel');
    });

    it('flow-style maps get the same vocabulary scopes', () => {
      hasScope(tw, webshop, '{ name: Internet, trust: untrusted }', 'untrusted', 'constant.language.trust.untrusted.threatmodel');
      hasScope(ts, starter, 'private-network: { name: Private subnets, trust: trusted, parent: cloud }', 'cloud', 'variable.other.reference.threatmodel');
      hasScope(ts, starter, 'private-network: { name: Private subnets', 'Private subnets', 'string.unquoted.plain.in.threatmodel');
      hasScope(ts, starter, 'private-network: { name: Private subnets', '{', 'punctuation.definition.mapping.begin.threatmodel');
    });

    it('ids in reference positions are references, inline and in block lists', () => {
      hasScope(tw, webshop, /^ {4}from: customer-browser$/, 'customer-browser', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, /^ {4}boundary: cde$/, 'cde', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, /^ {4}parent: app-tier$/, 'app-tier', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, 'targets: [storefront, browse]', 'browse', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, 'mitigations: [refund-four-eyes, refund-audit-trail]', 'refund-audit-trail', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, 'data: [card-data, psp-api-key]', 'psp-api-key', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, 'stores: [card-data]', 'card-data', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, /^ {6}- threat: checkout-skimming$/, 'checkout-skimming', 'variable.other.reference.threatmodel');
      hasScope(tp, platform, /^ {6}- tree: take-over-production$/, 'take-over-production', 'variable.other.reference.threatmodel');
      hasScope(tw, webshop, 'assets: [card-data, customer-pii]', 'customer-pii', 'variable.other.reference.threatmodel');
      const text = 'threats:\n  x:\n    title: X\n    targets:\n      - api   # the API\n      - design-x@api\n    status: open\n';
      const t = tokenize(text);
      hasScope(t, text, '- api', 'api', 'variable.other.reference.threatmodel');
      hasScope(t, text, '- api', '# the API', 'comment.line.number-sign.threatmodel');
      hasScope(t, text, '- design-x@api', 'design-x@api', 'variable.other.reference.threatmodel');
      hasScope(t, text, 'status: open', 'open', 'constant.language.status.open.threatmodel');
    });

    it('attack-tree operators, CVSS vectors, CWE and CAPEC ids', () => {
      hasScope(tw, webshop, /^ {8}and:$/, 'and', 'keyword.operator.logical.threatmodel');
      hasScope(tw, webshop, /^ {4}or:$/, 'or', 'keyword.operator.logical.threatmodel');
      hasScope(tw, webshop, 'cvss: CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:N', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:N', 'constant.other.cvss.threatmodel');
      hasScope(tw, webshop, 'cvss: CVSS:4.0/', 'CVSS:4.0/AV:N/AC:L/AT:N', 'constant.other.cvss.threatmodel');
      hasScope(tw, webshop, 'cwe: [CWE-285, CWE-778]', 'CWE-778', 'constant.other.cwe.threatmodel');
      hasScope(tw, webshop, 'capec: [CAPEC-63]', 'CAPEC-63', 'constant.other.capec.threatmodel');
    });

    it('plain YAML: comments, block scalars, booleans, numbers, strings, URLs with #', () => {
      hasScope(tw, webshop, /^# Threat model: Larkspur/, 'Threat model', 'comment.line.number-sign.threatmodel');
      hasScope(tw, webshop, 'encrypted: false         # see', 'false', 'constant.language.boolean.threatmodel');
      hasScope(tw, webshop, 'encrypted: false         # see', '# see threat', 'comment.line.number-sign.threatmodel');
      hasScope(tw, webshop, /^ {4}value: 400000/, '400000', 'constant.numeric.integer.threatmodel');
      hasScope(tw, webshop, 'annual_rate: 0.1', '0.1', 'constant.numeric.float.threatmodel');
      hasScope(tw, webshop, /^version: "2026.10"/, '"2026.10"', 'string.quoted.double.threatmodel');
      hasScope(tw, webshop, /^description: >$/, 'description', 'keyword.other.section.threatmodel');
      hasScope(tw, webshop, /^description: >$/, '>', 'keyword.control.flow.block-scalar.threatmodel');
      hasScope(tw, webshop, 'Card payments for shop.larkspur.example', 'Card payments', 'string.unquoted.block.threatmodel');
      hasScope(tw, webshop, /^version: /, 'version', 'keyword.other.section.threatmodel');
      hasScope(tw, webshop, 'The checkout page loads 14 third-party scripts', 'third-party', 'string.unquoted.block.threatmodel');
      lacksScope(tw, webshop, 'The checkout page loads 14 third-party scripts', 'third-party', 'constant.language.kind');
      hasScope(tw, webshop, /^ {4}statement:$/, 'statement', 'entity.name.tag.threatmodel');
      hasScope(tw, webshop, 'internal/vault/crypto.go#L30-L88', 'crypto.go#L30-L88', 'string.unquoted.plain.out.threatmodel');
      lacksScope(tw, webshop, 'internal/vault/crypto.go#L30-L88', '#L30-L88', 'comment');
      hasScope(tw, webshop, 'title: A single agent can refund', 'A single agent', 'string.unquoted.plain.out.threatmodel');
    });

    it('acceptance expiry dates are dates', () => {
      hasScope(tw, webshop, /^ {4}expires: 2026-01-31$/, '2026-01-31', 'constant.other.date.threatmodel');
      lacksScope(tw, webshop, /^ {4}expires: 2026-01-31$/, '2026-01-31', 'constant.numeric');
    });

    it('never loops or drops the document scope on half-typed and broken YAML', () => {
      const pieces = ['- ', ': ', ':', '[', ']', '{', '}', ',', '"', "'", '#', ' # c', '|', '>-', '&a ', '*a', '!!str ', '---', '  ', '\t',
        'threats:', 'targets:', 'status: open', 'from: x', 'stride: [', 'CVSS:3.1/AV:N', 'CWE-1', 'card-vault', 'a b', '2027-01-01', '1.5', 'true', '%YAML 1.2'];
      let seed = 42;
      const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
      const lines: string[] = [];
      for (let i = 0; i < 600; i++) {
        let l = ' '.repeat(rand(3) * 2);
        for (let k = rand(9); k > 0; k--) l += pieces[rand(pieces.length)];
        lines.push(l);
      }
      const tokens = tokenize(lines.join('\n'));
      assert.equal(tokens.length, lines.length);
      for (const line of tokens) for (const c of line) assert.equal(c[0], 'source.threatmodel');
    });

    it('a word of a vocabulary is only a constant where that key expects it', () => {
      const text = "title: open\nowner: critical\nstatus: opened\nnote: 'it''s high'\nanchor: &base { likelihood: rare }\ncopy: *base\n---\n";
      const t = tokenize(text);
      lacksScope(t, text, 'title: open', 'open', 'constant.language');
      lacksScope(t, text, 'owner: critical', 'critical', 'constant.language.risk');
      lacksScope(t, text, 'status: opened', 'opened', 'constant.language.status');
      hasScope(t, text, "note: 'it''s high'", "''", 'constant.character.escape.threatmodel');
      hasScope(t, text, "note: 'it''s high'", 'high', 'string.quoted.single.threatmodel');
      hasScope(t, text, 'anchor: &base', 'base', 'entity.name.type.anchor.threatmodel');
      hasScope(t, text, 'anchor: &base', 'rare', 'constant.language.likelihood.rare.threatmodel');
      hasScope(t, text, 'copy: *base', '*base', 'variable.other.alias.threatmodel');
      hasScope(t, text, /^---$/, '---', 'entity.other.document.begin.threatmodel');
    });
  });
});

describe('language configuration', () => {
  interface OnEnter { beforeText: string; action: { indent: string; appendText?: string } }
  const config = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: OnEnter[];
  };
  /** The word VS Code takes at `column` of `line` (go-to-definition, rename, hover, completion range). */
  const wordAt = (line: string, column: number) => {
    for (const m of line.matchAll(new RegExp(config.wordPattern, 'g'))) {
      if (m.index! <= column && column <= m.index! + m[0].length) return m[0];
    }
    return undefined;
  };
  /** What happens on Enter after `line`: the first matching rule's action. */
  const onEnter = (line: string) => config.onEnterRules.find(r => new RegExp(r.beforeText).test(line))?.action;

  it('has # comments, [] {} brackets and auto-closing quotes', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets, [['{', '}'], ['[', ']']]);
    assert.deepEqual(config.autoClosingPairs.map(p => p.open + p.close).sort(), ['""', "''", '[]', '{}']);
  });

  it('a kebab-case id, a rule@element id, a CWE id and a snake_case key are each one word', () => {
    assert.equal(wordAt('    from: card-vault', 16), 'card-vault');
    assert.equal(wordAt('    targets: [api, card-vault]', 22), 'card-vault');
    assert.equal(wordAt('  - threat: design-unencrypted-flow@checkout', 30), 'design-unencrypted-flow@checkout');
    assert.equal(wordAt('  - threat: design-unencrypted-flow@checkout', 40), 'design-unencrypted-flow@checkout');
    assert.equal(wordAt('  design-x@api:', 5), 'design-x@api');
    assert.equal(wordAt('    cwe: [CWE-89]', 12), 'CWE-89');
    assert.equal(wordAt('attack_trees:', 3), 'attack_trees');
  });

  it('words stop at punctuation: the colon after a key, a sentence-ending dot, brackets', () => {
    assert.equal(wordAt('  card-vault:', 4), 'card-vault');
    assert.equal(wordAt('title: Keep the vault.', 18), 'vault');
    assert.equal(wordAt('[a-b,c]', 2), 'a-b');
    assert.equal(wordAt('cvss: CVSS:3.1/AV:N', 8), 'CVSS');
  });

  it('indents after a key that opens a block, a block scalar or an open bracket, not after a value or a comment', () => {
    const inc = new RegExp(config.indentationRules.increaseIndentPattern);
    for (const l of ['threats:', '  card-vault:', '    description: >', '    justification: |-', '  - and:', '    targets: [', 'team:   # who', '  "quoted key":']) {
      assert.match(l, inc, l);
    }
    for (const l of ['title: Payments', '# note:', '    url: https://example.com/x', '    title: "a: b"', '    - api']) assert.doesNotMatch(l, inc, l);
    assert.match('  ]', new RegExp(config.indentationRules.decreaseIndentPattern));
  });

  it('Enter after a key indents; after a list item with a key it aligns under that key', () => {
    assert.deepEqual(onEnter('  card-vault:'), { indent: 'indent' });
    assert.deepEqual(onEnter('    description: >  # why'), { indent: 'indent' });
    assert.deepEqual(onEnter('    - and:'), { indent: 'indent', appendText: '  ' });
    assert.deepEqual(onEnter('  - threat: checkout-skimming'), { indent: 'none', appendText: '  ' });
    assert.equal(onEnter('    title: Payments'), undefined);
    assert.equal(onEnter('  # a comment:'), undefined);
    assert.equal(onEnter('    - api'), undefined);
  });
});
