import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../../model/errors.js';

export type Path = ReadonlyArray<string | number>;

/**
 * A parsed configuration file (YAML, or JSON — a YAML subset) that can say where a field is:
 * errors name the file, the 1-based line and the field path, e.g.
 * `sched.yaml line 12 (profiles[0].plugins.score.enabled[1].name): expected one of ..., got "Foo"`.
 */
export class ConfigSource {
  readonly file: string;
  readonly value: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  constructor(file: string, text?: string) {
    this.file = file;
    let body = text;
    if (body === undefined) {
      try {
        body = readFileSync(file, 'utf8');
      } catch (e) {
        throw new InputError({ file, problem: `cannot read the scheduler configuration: ${(e as Error).message}` });
      }
    }
    this.lines = new LineCounter();
    this.doc = parseDocument(body, { lineCounter: this.lines, prettyErrors: false });
    const err = this.doc.errors[0];
    if (err) {
      const pos = this.lines.linePos(err.pos[0]);
      throw new InputError({ file, line: pos.line, problem: `not valid YAML/JSON: ${err.message.split('\n')[0]}` });
    }
    const value: unknown = this.doc.toJS();
    this.value = value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError({ file, problem: 'expected a mapping (KubeSchedulerConfiguration or a legacy Policy)' });
    }
  }

  /** 1-based line of the node at `path`, or of its closest ancestor present in the file. */
  lineOf(path: Path): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  fail(path: Path, expected: string, got: unknown): never {
    throw new InputError({
      file: this.file,
      line: this.lineOf(path),
      field: formatPath(path),
      expected,
      got: got === undefined ? undefined : typeof got === 'string' ? got : JSON.stringify(got),
    });
  }

  problem(path: Path, problem: string): never {
    throw new InputError({ file: this.file, line: this.lineOf(path), field: formatPath(path), problem });
  }
}

export function formatPath(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s || '(top level)';
}

/** Typed readers that fail with the field's path. */
export function asObject(src: ConfigSource, path: Path, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) src.fail(path, 'a mapping', v);
  return v as Record<string, unknown>;
}

export function asArray(src: ConfigSource, path: Path, v: unknown): unknown[] {
  if (!Array.isArray(v)) src.fail(path, 'a list', v);
  return v;
}

export function asString(src: ConfigSource, path: Path, v: unknown): string {
  if (typeof v !== 'string' || v === '') src.fail(path, 'a non-empty string', v);
  return v;
}

export function asNumber(src: ConfigSource, path: Path, v: unknown, min: number, max: number, integer = true): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    src.fail(path, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, v);
  }
  return v;
}

export function oneOf<T extends string>(src: ConfigSource, path: Path, v: unknown, choices: readonly T[]): T {
  if (typeof v !== 'string' || !choices.includes(v as T)) src.fail(path, `one of ${choices.join(', ')}`, v);
  return v as T;
}
