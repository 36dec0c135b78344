/**
 * What discovery reads and returns: file contents in, a `Discovery` out. A Discovery holds the model entries
 * the files declare (elements, flows, boundaries, assets), each with a stable id and the file and line it was
 * declared at, the API operations found in OpenAPI files, and the problems of the input as findings located in
 * those files. Plain data: the CLI prints it, the language server keeps it, the drift rules read it.
 */
import type { Asset, Boundary, Element, Flow } from '../model/schema';
import type { Severity } from '../types';

/** A file as an adapter read it: its path (relative to the model file's folder, with `/`) and its text. */
export interface DiscoverFile {
  path: string;
  text: string;
}

/** Where something was declared: a file path as given, and a 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

/** Which reader found an entry; `implied` for the entries discovery adds itself (the Internet, an API's clients). */
export type Origin = 'compose' | 'kubernetes' | 'openapi' | 'implied';

/** The sections discovery fills. */
export type DiscoveredSection = 'boundaries' | 'assets' | 'elements' | 'flows';

export interface Discovered<T> {
  id: string;
  /** The entry as a model holds it, without `source` (the draft adds it from `source`). */
  entry: T;
  source: SourceRef;
  origin: Origin;
  /** What declared it, in words, for messages: "service `billing`", "Deployment `frontend`", "API `Petstore`". */
  what: string;
}

/** One operation of an OpenAPI description. */
export interface DiscoveredOperation {
  /** The id of the API's element. */
  api: string;
  method: string;
  path: string;
  operationId?: string;
  /** Whether every way to call it needs a security scheme (an empty requirement `{}` makes it optional). */
  authenticated: boolean;
  /** Whether the API is internet-facing (a public server, or an element that is). */
  public: boolean;
  source: SourceRef;
}

/** A problem of the input (or something a reviewer should look at), located in the discovered file. */
export interface DiscoveryFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  source: SourceRef;
}

export interface Discovery {
  /** Every file that was read (paths as given), sorted. */
  files: string[];
  boundaries: Discovered<Boundary>[];
  assets: Discovered<Asset>[];
  elements: Discovered<Element>[];
  flows: Discovered<Flow>[];
  operations: DiscoveredOperation[];
  findings: DiscoveryFinding[];
}

export interface DiscoverOptions {
  /**
   * Reads a file that an OpenAPI `$ref` names and that is not among the files given (a path relative to the
   * same folder as the given paths). Adapters confine it to the repository and cap its size; without it such
   * references stay unresolved. Remote (`http:`/`https:`) references are never read.
   */
  readFile?: (path: string) => string | undefined | Promise<string | undefined>;
  /** Milliseconds one OpenAPI file may take to resolve its references (default {@link DISCOVER_LIMITS}.refTimeoutMs). */
  refTimeoutMs?: number;
}

/** The bounds discovery keeps on untrusted input. */
export const DISCOVER_LIMITS = {
  /** Bytes of one file; a larger file is a `discover/file-too-large` finding and is not read. */
  fileSize: 5 * 1024 * 1024,
  /** Lines plus flow items of one YAML file, counted before parsing (as the importers do). */
  yamlNodes: 500_000,
  /** Nesting of one YAML file. */
  depth: 64,
  /** Alias expansions weighted by what they expand (the `yaml` package's `maxAliasCount`). */
  aliases: 1000,
  /** Entries of one section: what one model may hold. */
  entries: 5000,
  /** Environment variables read per container or service. */
  envVars: 500,
  /** Files read through OpenAPI `$ref`s, all specs together. */
  refFiles: 200,
  /** Milliseconds an OpenAPI file may take to resolve its references. */
  refTimeoutMs: 10_000,
  /** Findings kept; past it one finding says how many more there were. */
  findings: 1000,
} as const;
