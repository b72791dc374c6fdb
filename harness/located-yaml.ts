import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { UsageError } from '../model/errors.js';

/** Where a field is, for a one-line error: `file line N (field.path[2])`. */
export type Locate = (path: ReadonlyArray<string | number>) => string;

/**
 * Parses a YAML (or JSON) settings file into plain data and a `locate` that names a field's file,
 * line and path; text that is not YAML (or repeats a key) is a UsageError naming its line. Shared
 * by the sweep config and the autoscaler's node groups.
 */
export function parseLocatedYaml(text: string, file: string): { raw: unknown; locate: Locate } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new UsageError(`${file} line ${lines.linePos(first.pos[0]).line}: not valid YAML: ${first.message.split('\n')[0]}`);
  const locate: Locate = (path) => {
    const node = nodeAt(doc, path);
    const line = node?.range ? ` line ${lines.linePos(node.range[0]).line}` : '';
    return `${file}${line}${path.length > 0 ? ` (${fieldName(path)})` : ''}`;
  };
  return { raw: doc.toJS() as unknown, locate };
}

/** `policies[1]`, `groups[0].labels.team`. */
export function fieldName(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The YAML node at `path` (a key's value, a list item), for its line. */
function nodeAt(doc: Document, path: ReadonlyArray<string | number>): { range?: [number, number, number] | null } | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  const node = doc.getIn(path as Array<string | number>, true);
  if (isNode(node)) return node;
  // An unknown key's value may be null (`foo:`): point at the parent mapping instead.
  return nodeAt(doc, path.slice(0, -1));
}

/** A value as an error message shows what it got. */
export function shown(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
