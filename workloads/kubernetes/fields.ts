import type { FieldPath, SourceLocation } from './manifest-documents.js';

/**
 * Strict, typed access to one object's fields. Every getter takes the field's path from the
 * object's root, reads it, and throws an InputError naming file, line and path when the value has
 * the wrong type; an absent (or null) field is `undefined`, never a default invented here (the
 * callers apply the Kubernetes defaults and say which).
 */
export class Fields {
  constructor(
    readonly root: Record<string, unknown>,
    readonly at: SourceLocation,
  ) {}

  /** The raw value at `p` (undefined when any step is missing). */
  raw(p: FieldPath): unknown {
    let v: unknown = this.root;
    for (const k of p) {
      if (v === null || v === undefined) return undefined;
      if (typeof k === 'number') {
        if (!Array.isArray(v)) return undefined;
        v = v[k];
      } else {
        if (typeof v !== 'object' || Array.isArray(v)) return undefined;
        v = (v as Record<string, unknown>)[k];
      }
    }
    return v === null ? undefined : v;
  }

  object(p: FieldPath): Record<string, unknown> | undefined {
    const v = this.raw(p);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw this.at.error(p, 'a map', v);
    return v as Record<string, unknown>;
  }

  /** Length of the list at `p` (0 when absent). */
  list(p: FieldPath): number {
    const v = this.raw(p);
    if (v === undefined) return 0;
    if (!Array.isArray(v)) throw this.at.error(p, 'a list', v);
    return v.length;
  }

  string(p: FieldPath): string | undefined {
    const v = this.raw(p);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.at.error(p, 'a string', v);
    return v;
  }

  requiredString(p: FieldPath, expected = 'a string'): string {
    const v = this.raw(p);
    if (typeof v !== 'string' || v === '') throw this.at.error(p, expected, v);
    return v;
  }

  oneOf<T extends string>(p: FieldPath, allowed: readonly T[]): T | undefined {
    const v = this.raw(p);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw this.at.error(p, `one of ${allowed.join(', ')}`, v);
    }
    return v as T;
  }

  bool(p: FieldPath): boolean | undefined {
    const v = this.raw(p);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.at.error(p, 'true or false', v);
    return v;
  }

  /** An integer in [min, max] (YAML `3`; a quoted "3" is not an integer in the Kubernetes API either). */
  int(p: FieldPath, min: number, max: number): number | undefined {
    const v = this.raw(p);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw this.at.error(p, `an integer ${min}–${max}`, v);
    }
    return v;
  }

  /** A map of string → string (labels, nodeSelector, annotations). */
  stringMap(p: FieldPath): Record<string, string> | undefined {
    const o = this.object(p);
    if (o === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) {
      if (typeof v !== 'string') throw this.at.error([...p, k], 'a string (quote numbers and true/false in label values)', v);
      out[k] = v;
    }
    return out;
  }

  stringList(p: FieldPath): string[] | undefined {
    const n = this.list(p);
    if (this.raw(p) === undefined) return undefined;
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.requiredString([...p, i]));
    return out;
  }
}
