// Generates syntaxes/threatmodel.tmLanguage.json (run: node scripts/gen-grammar.mjs).
// Regexes are written with String.raw so they read as they will be compiled. Only constructs shared by
// Oniguruma and JavaScript are used: fixed one-character lookbehinds, no \h \G \A \z, no atomic groups.
import { writeFileSync } from 'node:fs';

const r = String.raw;
const S = 'threatmodel';
const STRIDE = ['spoofing', 'tampering', 'repudiation', 'information-disclosure', 'denial-of-service', 'elevation-of-privilege'];
const LIKELIHOODS = ['rare', 'unlikely', 'possible', 'likely', 'almost-certain'];
const IMPACTS = ['negligible', 'minor', 'moderate', 'major', 'severe'];
const LEVELS = ['low', 'medium', 'high', 'critical'];
const STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'not-applicable', 'proposed', 'planned', 'in-progress', 'implemented', 'verified'];
const TYPES = ['external', 'process', 'store'];
const TRUST = ['untrusted', 'partial', 'trusted'];
const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];
const KINDS = ['human', 'browser', 'mobile-app', 'web-app', 'api', 'service', 'worker', 'function', 'gateway', 'load-balancer',
  'admin-console', 'database', 'cache', 'queue', 'file-store', 'vault', 'log-store', 'third-party', 'device', 'other',
  'data', 'credentials', 'secret', 'key'];
const CONTROLS = ['authentication', 'authorization', 'input-validation', 'rate-limiting', 'logging', 'audit-logging', 'mfa', 'waf',
  'encryption-at-rest', 'backup', 'monitoring', 'secrets-management', 'output-encoding'];
const DRIVERS = ['matrix', 'cvss'];

const MAP_SECTIONS = { assets: 'asset', boundaries: 'boundary', elements: 'element', flows: 'flow', threats: 'threat', mitigations: 'mitigation', attack_trees: 'attack-tree' };
const OTHER_SECTIONS = ['rampart', 'title', 'description', 'version', 'team', 'scope', 'policy'];
const REF_ONE = ['from', 'to', 'boundary', 'parent', 'threat', 'tree'];
const REF_MANY = ['targets', 'mitigations', 'stores', 'processes', 'data', 'assets'];

/** Start of a key or scalar: line start, whitespace, or a flow indicator before it. */
const AT = r`(?<![^\s\[{,])`;
/** End of a whole scalar: end of line, a comment, or a flow indicator. */
const END = r`(?=[ \t]*(?:$|#|[,\]}]))`;
const KEY_SEP = { name: `punctuation.separator.key-value.mapping.${S}` };
const KEY = { name: `entity.name.tag.${S}` };
const ITEM = { name: `punctuation.definition.block.sequence.item.${S}` };
const alt = words => words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
const scopesFor = (base, word) => `constant.language.${base}.${S} constant.language.${base}.${word}.${S}`;
/** `(?:(w1)|(w2)|...)` and the captures naming each word, numbered from `first`. */
function wordGroups(words, base, first) {
  const captures = {};
  words.forEach((w, i) => { captures[first + i] = { name: scopesFor(base, w) }; });
  return { source: `(?:${words.map(w => `(${alt([w])})`).join('|')})`, captures };
}

const repository = {};

repository.comment = {
  match: r`(?:^|(?<=[ \t]))(#).*$`,
  name: `comment.line.number-sign.${S}`,
  captures: { 1: { name: `punctuation.definition.comment.${S}` } },
};
repository['document-marker'] = {
  patterns: [
    { match: r`^---(?=[ \t]|$)`, name: `entity.other.document.begin.${S}` },
    { match: r`^\.\.\.(?=[ \t]|$)`, name: `entity.other.document.end.${S}` },
  ],
};
repository.directive = {
  match: r`^(%)([^\s#]+)([^#\n]*)`,
  name: `meta.directive.${S}`,
  captures: { 1: { name: `punctuation.definition.directive.begin.${S}` }, 2: { name: `keyword.other.directive.${S}` } },
};

// Block scalars: `key: |` / `- >-` lines; the content runs while lines are indented deeper than the key.
const BLOCK_TAIL = r`(?:(&)([^\s,\[\]{}]+)[ \t]+)?([|>])([1-9][-+]?|[-+][1-9]?)?[ \t]*(#.*)?$`;
const blockTailCaptures = first => ({
  [first]: { name: `punctuation.definition.anchor.${S}` },
  [first + 1]: { name: `entity.name.type.anchor.${S}` },
  [first + 2]: { name: `keyword.control.flow.block-scalar.${S}` },
  [first + 3]: { name: `storage.modifier.chomping-indicator.${S}` },
  [first + 4]: { name: `comment.line.number-sign.${S}` },
});
repository['top-level-block-scalar'] = {
  begin: `^(${alt(OTHER_SECTIONS)})[ \\t]*(:)[ \\t]+${BLOCK_TAIL}`,
  beginCaptures: { 1: { name: `keyword.other.section.${S}` }, 2: KEY_SEP, ...blockTailCaptures(3) },
  end: r`^(?=\S)`,
  contentName: `string.unquoted.block.${S}`,
};
repository['block-scalar'] = {
  begin: r`^([ \t]*)(?:(-)[ \t]+)?(?:([^\s#:,\[\]{}'"|>&*!-][^#:,\[\]{}]*?)[ \t]*(:)[ \t]+)?` + BLOCK_TAIL,
  beginCaptures: { 2: ITEM, 3: KEY, 4: KEY_SEP, ...blockTailCaptures(5) },
  end: r`^(?![ \t]*$)(?!\1[ \t]+\S)`,
  contentName: `string.unquoted.block.${S}`,
};

// Top-level keys. Id-map sections are regions whose first-level keys are id definitions.
repository['section-key'] = {
  match: `^(${alt(OTHER_SECTIONS)})[ \\t]*(:)(?=[ \\t]|$)`,
  captures: { 1: { name: `keyword.other.section.${S}` }, 2: KEY_SEP },
};
const sectionRules = [];
for (const [section, kind] of Object.entries(MAP_SECTIONS)) {
  const id = `section-${section.replace('_', '-')}`;
  sectionRules.push({ include: `#${id}` });
  repository[id] = {
    begin: `^(${section})[ \\t]*(:)(?=[ \\t]|$)`,
    beginCaptures: { 1: { name: `keyword.other.section.${S}` }, 2: KEY_SEP },
    end: r`^(?=[^\s#])`,
    name: `meta.section.${section.replace('_', '-')}.${S}`,
    patterns: [
      { include: '#comment' },
      {
        begin: r`^([ \t]+)([^\s#:,\[\]{}'"&*!|>%@` + '`' + r`-][^\s#:,\[\]{}]*)[ \t]*(:)(?=[ \t]|$)`,
        beginCaptures: { 2: { name: `entity.name.type.id.${kind}.${S}` }, 3: KEY_SEP },
        end: r`^(?!\1[ \t]|[ \t]*(?:#.*)?$)`,
        name: `meta.definition.${kind}.${S}`,
        patterns: [{ include: '#block-content' }],
      },
      { include: '#block-content' },
    ],
  };
}

// References: ids in positions that point at another entry.
repository['reference-pair'] = {
  match: `${AT}(${alt(REF_ONE)})[ \\t]*(:)[ \\t]+([^\\s#,\\[\\]{}'"&*!|>%@\`][^\\s#,\\[\\]{}]*)${END}`,
  captures: { 1: KEY, 2: KEY_SEP, 3: { name: `variable.other.reference.${S}` } },
};
const REF_ID = r`[^\s#,\[\]{}'"&*!|>%@` + '`' + r`][^\s#,\[\]{}]*`;
repository['reference-list-inline'] = {
  begin: `${AT}(${alt(REF_MANY)})[ \\t]*(:)[ \\t]*(\\[)`,
  beginCaptures: { 1: KEY, 2: KEY_SEP, 3: { name: `punctuation.definition.sequence.begin.${S}` } },
  end: r`\]`,
  endCaptures: { 0: { name: `punctuation.definition.sequence.end.${S}` } },
  name: `meta.flow-sequence.references.${S}`,
  patterns: [
    { include: '#comment' },
    { match: ',', name: `punctuation.separator.sequence.${S}` },
    { match: `${AT}${REF_ID}${END}`, name: `variable.other.reference.${S}` },
    { include: '#flow-content' },
  ],
};
repository['reference-list-block'] = {
  begin: `^([ \\t]*)(?:(-)[ \\t]+)?(${alt(REF_MANY)})[ \\t]*(:)(?=[ \\t]*(?:#.*)?$)`,
  beginCaptures: { 2: ITEM, 3: KEY, 4: KEY_SEP },
  end: r`^(?!\1[ \t]*-(?:[ \t]|$)|[ \t]*(?:#.*)?$)`,
  name: `meta.block-sequence.references.${S}`,
  patterns: [
    { include: '#comment' },
    { match: `^([ \\t]*)(-)[ \\t]+(${REF_ID})${END}`, captures: { 2: ITEM, 3: { name: `variable.other.reference.${S}` } } },
    { include: '#block-content' },
  ],
};

// Vocabulary values: `key: word` pairs, and lists of words under a key (inline and block).
const enumPairs = [
  [['status'], STATUSES, 'status'],
  [['likelihood'], LIKELIHOODS, 'likelihood'],
  [['impact'], IMPACTS, 'impact'],
  [['tolerance', 'criticality'], LEVELS, 'risk'],
  [['type'], TYPES, 'type'],
  [['trust'], TRUST, 'trust'],
  [['classification'], CLASSIFICATIONS, 'classification'],
  [['kind'], KINDS, 'kind'],
  [['risk_driver'], DRIVERS, 'driver'],
];
repository['enum-pair'] = {
  patterns: enumPairs.map(([keys, words, base]) => {
    const g = wordGroups(words, base, 3);
    return { match: `${AT}(${alt(keys)})[ \\t]*(:)[ \\t]+${g.source}${END}`, captures: { 1: KEY, 2: KEY_SEP, ...g.captures } };
  }),
};
const enumLists = [
  [['stride'], STRIDE, 'stride'],
  [['controls'], CONTROLS, 'control'],
  [LIKELIHOODS, LEVELS, 'risk'], // rows of policy.matrix
];
repository['enum-list-inline'] = {
  patterns: enumLists.map(([keys, words, base]) => {
    const g = wordGroups(words, base, 1);
    return {
      begin: `${AT}(${alt(keys)})[ \\t]*(:)[ \\t]*(\\[)`,
      beginCaptures: { 1: KEY, 2: KEY_SEP, 3: { name: `punctuation.definition.sequence.begin.${S}` } },
      end: r`\]`,
      endCaptures: { 0: { name: `punctuation.definition.sequence.end.${S}` } },
      name: `meta.flow-sequence.${base}.${S}`,
      patterns: [
        { include: '#comment' },
        { match: ',', name: `punctuation.separator.sequence.${S}` },
        { match: `${AT}${g.source}${END}`, captures: g.captures },
        { include: '#flow-content' },
      ],
    };
  }),
};
repository['enum-list-block'] = {
  patterns: enumLists.map(([keys, words, base]) => {
    const g = wordGroups(words, base, 3);
    return {
      begin: `^([ \\t]*)(?:(-)[ \\t]+)?(${alt(keys)})[ \\t]*(:)(?=[ \\t]*(?:#.*)?$)`,
      beginCaptures: { 2: ITEM, 3: KEY, 4: KEY_SEP },
      end: r`^(?!\1[ \t]*-(?:[ \t]|$)|[ \t]*(?:#.*)?$)`,
      name: `meta.block-sequence.${base}.${S}`,
      patterns: [
        { include: '#comment' },
        { match: `^([ \\t]*)(-)[ \\t]+${g.source}${END}`, captures: { 2: ITEM, ...g.captures } },
        { include: '#block-content' },
      ],
    };
  }),
};
repository['logical-key'] = {
  match: r`(?<![^\s\[{,])(and|or)[ \t]*(:)(?=[ \t]|$|[,\]}])`,
  captures: { 1: { name: `keyword.operator.logical.${S}` }, 2: KEY_SEP },
};

// Security identifiers.
repository.cvss = {
  match: r`(?<![\w/:.-])(CVSS)(:)([0-9]\.[0-9])((?:/[A-Za-z]+:[A-Za-z]+)+)(?![\w/:.-])`,
  name: `constant.other.cvss.${S}`,
  captures: { 1: { name: `keyword.other.cvss.${S}` }, 3: { name: `constant.numeric.version.${S}` } },
};
repository.cwe = { match: r`(?<![\w-])CWE-[0-9]+(?![\w-])`, name: `constant.other.cwe.${S}` };
repository.capec = { match: r`(?<![\w-])CAPEC-[0-9]+(?![\w-])`, name: `constant.other.capec.${S}` };

// Plain YAML.
repository.key = {
  patterns: [
    {
      match: r`(?<![^\s\[{,])("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*(:)(?=[ \t]|$|[,\]}])`,
      captures: { 1: { name: `entity.name.tag.${S} string.quoted.${S}` }, 2: KEY_SEP },
    },
    {
      match: r`(?<![^\s\[{,])([^\s#:,\[\]{}'"&*!|>%@` + '`' + r`-](?:[^\s#:,\[\]{}]|[ \t]+(?=[^\s#:,\[\]{}])|:(?=[^\s,\[\]{}]))*|-(?:[^\s#:,\[\]{}])+)[ \t]*(:)(?=[ \t]|$|[,\]}])`,
      captures: { 1: KEY, 2: KEY_SEP },
    },
  ],
};
repository.item = { match: r`(?:^|(?<=[ \t]))(-)(?=[ \t]|$)`, captures: { 1: ITEM } };
repository['flow-mapping'] = {
  begin: r`\{`,
  beginCaptures: { 0: { name: `punctuation.definition.mapping.begin.${S}` } },
  end: r`\}`,
  endCaptures: { 0: { name: `punctuation.definition.mapping.end.${S}` } },
  name: `meta.flow-mapping.${S}`,
  patterns: [{ include: '#flow-content' }],
};
repository['flow-sequence'] = {
  begin: r`\[`,
  beginCaptures: { 0: { name: `punctuation.definition.sequence.begin.${S}` } },
  end: r`\]`,
  endCaptures: { 0: { name: `punctuation.definition.sequence.end.${S}` } },
  name: `meta.flow-sequence.${S}`,
  patterns: [{ include: '#flow-content' }],
};
const securityIds = [{ include: '#cvss' }, { include: '#cwe' }, { include: '#capec' }];
repository.string = {
  patterns: [
    {
      begin: r`(?<![^\s\[{,])"`,
      beginCaptures: { 0: { name: `punctuation.definition.string.begin.${S}` } },
      end: '"',
      endCaptures: { 0: { name: `punctuation.definition.string.end.${S}` } },
      name: `string.quoted.double.${S}`,
      patterns: [
        { match: r`\\(?:[0abtnvfre "/\\N_LP\t]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})`, name: `constant.character.escape.${S}` },
        { match: r`\\.`, name: `invalid.illegal.escape.${S}` },
        ...securityIds,
      ],
    },
    {
      begin: r`(?<![^\s\[{,])'`,
      beginCaptures: { 0: { name: `punctuation.definition.string.begin.${S}` } },
      end: r`'(?!')`,
      endCaptures: { 0: { name: `punctuation.definition.string.end.${S}` } },
      name: `string.quoted.single.${S}`,
      patterns: [{ match: "''", name: `constant.character.escape.${S}` }, ...securityIds],
    },
  ],
};
repository['anchor-alias-tag'] = {
  patterns: [
    { match: r`(?<![^\s\[{,])(&)([^\s,\[\]{}]+)`, captures: { 1: { name: `punctuation.definition.anchor.${S}` }, 2: { name: `entity.name.type.anchor.${S}` } } },
    { match: r`(?<![^\s\[{,])(\*)([^\s,\[\]{}]+)`, name: `variable.other.alias.${S}`, captures: { 1: { name: `punctuation.definition.alias.${S}` } } },
    { match: r`(?<![^\s\[{,])!(?:<[^>\s]*>|[\w/.:!-]*)(?=[ \t]|$)`, name: `storage.type.tag-handle.${S}` },
  ],
};
repository.date = { match: `${AT}[0-9]{4}-[0-9]{2}-[0-9]{2}${END}`, name: `constant.other.date.${S}` };
repository.number = {
  patterns: [
    { match: `${AT}(?:0x[0-9a-fA-F]+|0o[0-7]+|[-+]?[0-9]+)${END}`, name: `constant.numeric.integer.${S}` },
    { match: `${AT}(?:[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))${END}`, name: `constant.numeric.float.${S}` },
  ],
};
repository.constant = {
  patterns: [
    { match: `${AT}(?:true|True|TRUE|false|False|FALSE)${END}`, name: `constant.language.boolean.${S}` },
    { match: `${AT}(?:null|Null|NULL|~)${END}`, name: `constant.language.null.${S}` },
  ],
};
repository['plain-block'] = {
  match: r`(?:[^\s#,\[\]{}&*!|>'"%@` + '`' + r`-]|-(?=\S))(?:[^\s#]|[ \t]+(?=[^\s#])|(?<=\S)#)*`,
  name: `string.unquoted.plain.out.${S}`,
};
repository['plain-flow'] = {
  match: r`(?:[^\s#,\[\]{}&*!|>'"%@` + '`' + r`:-]|[-:](?=[^\s,\[\]{}]))(?:[^\s#,\[\]{}:]|:(?=[^\s,\[\]{}])|[ \t]+(?=[^\s#,\[\]{}])|(?<=\S)#)*`,
  name: `string.unquoted.plain.in.${S}`,
};

// What a value can be, in block and in flow context (they differ only in plain scalars and list items).
const valueCommon = [
  { include: '#reference-list-inline' },
  { include: '#enum-list-inline' },
  { include: '#reference-pair' },
  { include: '#enum-pair' },
  { include: '#logical-key' },
  { include: '#key' },
  { include: '#flow-mapping' },
  { include: '#flow-sequence' },
  { include: '#string' },
  { include: '#anchor-alias-tag' },
  ...securityIds,
  { include: '#date' },
  { include: '#number' },
  { include: '#constant' },
];
repository['block-content'] = {
  patterns: [
    { include: '#comment' },
    { include: '#block-scalar' },
    { include: '#reference-list-block' },
    { include: '#enum-list-block' },
    { include: '#item' },
    ...valueCommon,
    { include: '#plain-block' },
  ],
};
repository['flow-content'] = {
  patterns: [
    { include: '#comment' },
    { match: ',', name: `punctuation.separator.sequence.${S}` },
    ...valueCommon,
    { include: '#plain-flow' },
  ],
};

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Threat Model',
  scopeName: `source.${S}`,
  fileTypes: ['threatmodel.yaml', 'threatmodel.yml'],
  comment: 'Rampart threat models: YAML 1.2 plus scopes for sections, ids, references, STRIDE and risk vocabularies, CVSS vectors and CWE/CAPEC ids. test/unit/grammar.test.ts says what it must highlight and checks every regex.',
  patterns: [
    { include: '#comment' },
    { include: '#directive' },
    { include: '#document-marker' },
    { include: '#top-level-block-scalar' },
    ...sectionRules,
    { include: '#section-key' },
    { include: '#block-content' },
  ],
  repository,
};

writeFileSync(new URL('../syntaxes/threatmodel.tmLanguage.json', import.meta.url), JSON.stringify(grammar, null, 2) + '\n');
console.log('wrote syntaxes/threatmodel.tmLanguage.json');
