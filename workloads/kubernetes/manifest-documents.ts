import { readFile } from 'node:fs/promises';
import { Document, isCollection, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import { InputError } from '../../model/errors.js';

/** A path inside one document: map keys and list indices, e.g. ['spec', 'containers', 0, 'image']. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * `spec.template.spec.containers[0].resources.requests.cpu`; keys that are not plain identifiers
 * (label keys, `nvidia.com/gpu`) are bracketed: `requests["nvidia.com/gpu"]`.
 */
export function formatFieldPath(p: FieldPath): string {
  let s = '';
  for (const k of p) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(k)) s += s === '' ? k : `.${k}`;
    else s += `[${JSON.stringify(k)}]`;
  }
  return s;
}

/**
 * Where an object sits in its source: the file, the parsed YAML document (kept for its source
 * positions) and the path of the object inside the document (['items', 3] for the fourth item of
 * a `kind: List`). Errors found later, while interpreting a field, come back here for the line.
 */
export class SourceLocation {
  constructor(
    readonly file: string,
    private readonly source: ParsedSource,
    /** Path of the object within its document ([] for a top-level object). */
    readonly base: FieldPath,
  ) {}

  /**
   * 1-based line of the field (the line of its key, for a map entry), or of its nearest existing
   * parent when the field is absent.
   */
  line(p: FieldPath = []): number | undefined {
    const full = [...this.base, ...p];
    const { doc, lines } = this.source.get();
    let node: unknown = doc.contents;
    let offset = rangeStart(node);
    for (const k of full) {
      if (isMap(node)) {
        const pair = node.items.find((it) => (isScalar(it.key) ? it.key.value : it.key) === k);
        if (pair === undefined) break;
        offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof k === 'number') {
        node = node.items[k];
        if (node === undefined) break;
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    return offset === undefined ? undefined : lines.linePos(offset).line;
  }

  /**
   * The text of a scalar exactly as written (e.g. `1e3`, `0.10`), or undefined. For JSON read by
   * JSON.parse (`lazy` sources) it is undefined unless the positions were already needed: a JSON
   * number's shortest round-trip form (String(0.1) = "0.1") is then the same decimal.
   */
  sourceText(p: FieldPath, evenIfLazy = false): string | undefined {
    if (!evenIfLazy && !this.source.loaded) return undefined;
    const node = this.source.get().doc.getIn([...this.base, ...p], true);
    if (isScalar(node) && typeof node.source === 'string') return node.source;
    return undefined;
  }

  /** The full field path from the document root, for messages. */
  field(p: FieldPath): string {
    return formatFieldPath([...this.base, ...p]);
  }

  /** An InputError about field `p`: file, line, field path, expected, got. */
  error(p: FieldPath, expected: string, got: unknown): InputError {
    return new InputError({ file: this.file, pathAsGiven: true, line: this.line(p), field: this.field(p), expected, got: describeGot(got, this.sourceText(p, true)) });
  }

  /** An InputError with free text, located at field `p`. */
  problem(p: FieldPath, problem: string): InputError {
    return new InputError({ file: this.file, pathAsGiven: true, line: this.line(p), field: p.length > 0 || this.base.length > 0 ? this.field(p) : undefined, problem });
  }
}

/** How a found value is shown in a message: its source text when scalar, else short JSON. */
export function describeGot(v: unknown, source?: string): string | undefined {
  if (v === undefined) return undefined;
  if (source !== undefined) return source;
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A parsed YAML document with its line counter, built on first use: for JSON read by the fast
 * JSON.parse, positions are computed (by the YAML parser, which reads JSON too) only when an error
 * has to name a line. The YAML parser is about 100× slower than JSON.parse on a large
 * `kubectl get -o json` dump.
 */
export class ParsedSource {
  private parsed: { doc: Document; lines: LineCounter } | undefined;
  constructor(
    private readonly text: string,
    parsed?: { doc: Document; lines: LineCounter },
  ) {
    this.parsed = parsed;
  }
  get loaded(): boolean {
    return this.parsed !== undefined;
  }
  get(): { doc: Document; lines: LineCounter } {
    if (this.parsed === undefined) {
      const lines = new LineCounter();
      const docs = parseAllDocuments(this.text, { lineCounter: lines, merge: true, logLevel: 'error' });
      const doc = Array.isArray(docs) ? docs[0] : undefined;
      this.parsed = { doc: doc ?? new Document(null), lines };
    }
    return this.parsed;
  }
}

/** One Kubernetes object from the input, in input order. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  /** The object as plain data (YAML/JSON decoded). */
  body: Record<string, unknown>;
  at: SourceLocation;
  /** Position in the input (files in order, documents in order, List items in order). */
  ordinal: number;
}

/** The first line of a YAML parser message, without its own position (the caller states it). */
const yamlMessage = (m: string) => m.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');

const rangeStart = (n: unknown): number | undefined => (n as { range?: [number, number, number] } | null | undefined)?.range?.[0];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses one file (YAML `<<` merge keys allowed, as Kubernetes' YAML decoder does): every YAML document (`---` separated; a JSON file is one document), with
 * `kind: List` (and typed lists such as `NodeList`, as `kubectl get -o yaml|json` prints or the API
 * server returns them, items without kind) flattened into their items. Empty documents (comments only, stray `---`) are skipped. A document that is
 * not a Kubernetes object (no apiVersion/kind) is an InputError: strict, so a stray values.yaml in
 * a manifests folder is reported rather than silently ignored. The YAML parser's warnings (an
 * unresolved tag, a collection used as a key, ...) are appended to `warnings`, naming file and line.
 */
export async function readManifestFile(file: string, startOrdinal: number, warnings?: string[]): Promise<ManifestObject[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError({ file, pathAsGiven: true, problem: 'cannot read file' });
  }
  const out: ManifestObject[] = [];
  const head = text.trimStart()[0];
  if (head === '{' || head === '[') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined; // not strict JSON (or YAML flow syntax): the YAML parser says where
    }
    if (data !== undefined) {
      addObjects(data, new ParsedSource(text), file, startOrdinal, out);
      return out;
    }
  }
  const lines = new LineCounter();
  // logLevel 'error': the parser's warnings are collected below with their file, not printed bare.
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, logLevel: 'error' });
  if (!Array.isArray(docs)) return out; // an empty stream
  for (const doc of docs) {
    for (const w of doc.warnings) warnings?.push(`${file} line ${w.linePos?.[0].line ?? '?'}: YAML warning: ${yamlMessage(w.message)}`);
    visit(doc, {
      Pair(_, pair) {
        // toJS turns a collection used as a key into a string (its own warning would name no file).
        if (isCollection(pair.key)) warnings?.push(`${file} line ${lines.linePos(rangeStart(pair.key) ?? 0).line}: YAML warning: a map key that is itself a map or list is read as its text`);
      },
    });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      const what = yamlMessage(e.message);
      throw new InputError({ file, pathAsGiven: true, line: pos?.line, problem: `not valid YAML/JSON: ${what}${pos ? ` (column ${pos.col})` : ''}` });
    }
    addObjects(doc.toJS({ maxAliasCount: 1000 }), new ParsedSource(text, { doc, lines }), file, startOrdinal, out);
  }
  return out;
}

/** One decoded document → its object, or its items when it is a List. */
function addObjects(data: unknown, source: ParsedSource, file: string, startOrdinal: number, out: ManifestObject[]): void {
  if (data === null || data === undefined) return;
  const top = new SourceLocation(file, source, []);
  if (!isRecord(data)) throw top.error([], 'a Kubernetes object (a map with apiVersion and kind)', data);
  const kind = objectHeader(data, top);
  if (kind.endsWith('List') && Array.isArray(data.items)) {
    // A typed list (NodeList, PodList, ...) as the API server returns it: its items carry neither
    // kind nor apiVersion; both are the list's (kind without "List"). A plain `kind: List` (what
    // kubectl prints) mixes kinds, so its items must name theirs.
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    data.items.forEach((item, i) => {
      const at = new SourceLocation(file, source, ['items', i]);
      if (!isRecord(item)) throw at.error([], 'a Kubernetes object', item);
      const k = item.kind === undefined && itemKind !== undefined ? itemKind : objectHeader(item, at);
      if (item.apiVersion !== undefined && typeof item.apiVersion !== 'string') throw at.error(['apiVersion'], 'a string such as v1 or apps/v1', item.apiVersion);
      const apiVersion = typeof item.apiVersion === 'string' ? item.apiVersion : String(data.apiVersion ?? '');
      out.push({ apiVersion, kind: k, body: item, at, ordinal: startOrdinal + out.length });
    });
    return;
  }
  out.push({ apiVersion: String(data.apiVersion), kind, body: data, at: top, ordinal: startOrdinal + out.length });
}

function objectHeader(o: Record<string, unknown>, at: SourceLocation): string {
  if (typeof o.kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(o.kind)) {
    throw at.error(['kind'], 'a Kubernetes kind such as Pod, Deployment or Node', o.kind);
  }
  // kubectl's List items carry their own apiVersion; a bare List item without it still names a kind.
  if (o.apiVersion !== undefined && typeof o.apiVersion !== 'string') {
    throw at.error(['apiVersion'], 'a string such as v1 or apps/v1', o.apiVersion);
  }
  if (o.apiVersion === undefined && at.base.length === 0) {
    throw at.error(['apiVersion'], 'an apiVersion such as v1 or apps/v1', undefined);
  }
  return o.kind;
}
