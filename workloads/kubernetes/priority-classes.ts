import { Fields } from './fields.js';
import type { FieldPath, ManifestObject, SourceLocation } from './manifest-documents.js';

/**
 * Pod priority (scheduling.k8s.io/v1 PriorityClass). The Priority admission plugin turns a pod's
 * priorityClassName into spec.priority: the named class's value, the globalDefault class's value
 * when no name is given, else 0. Two classes are built in.
 */
export const BUILTIN_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

/** The largest value a user-defined class may have (HighestUserDefinablePriority). */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;

interface ClassEntry {
  value: number;
  globalDefault: boolean;
  at: SourceLocation;
}

export interface ResolvedPriority {
  value: number;
  /** The class that gave the value (named, or the global default), if any. */
  className?: string;
  source: 'class' | 'global-default' | 'spec.priority' | 'none';
}

export class PriorityClasses {
  private readonly classes = new Map<string, ClassEntry>();
  private globalDefault: string | undefined;

  /** Reads a PriorityClass object (value required; globalDefault optional; at most one default). */
  add(o: ManifestObject): void {
    const f = new Fields(o.body, o.at);
    const name = f.requiredString(['metadata', 'name'], 'a PriorityClass name');
    if (name in BUILTIN_PRIORITY_CLASSES) {
      throw o.at.problem(['metadata', 'name'], `PriorityClass ${name} is built in and cannot be redefined`);
    }
    const value = f.int(['value'], -2_147_483_648, HIGHEST_USER_PRIORITY);
    if (value === undefined) throw o.at.error(['value'], `an integer up to ${HIGHEST_USER_PRIORITY.toLocaleString('en-US')}`, undefined);
    const globalDefault = f.bool(['globalDefault']) ?? false;
    const prev = this.classes.get(name);
    if (prev !== undefined) {
      throw o.at.problem(['metadata', 'name'], `PriorityClass ${name} is defined twice (first at line ${prev.at.line() ?? '?'} of ${prev.at.file})`);
    }
    if (globalDefault && this.globalDefault !== undefined) {
      throw o.at.problem(['globalDefault'], `two PriorityClasses are globalDefault: ${this.globalDefault} and ${name}`);
    }
    if (globalDefault) this.globalDefault = name;
    this.classes.set(name, { value, globalDefault, at: o.at });
  }

  get size(): number {
    return this.classes.size;
  }

  get defaultClass(): string | undefined {
    return this.globalDefault;
  }

  /**
   * The priority of a pod spec at `spec` in `f`. A named class must exist (in the input or built
   * in): a missing one is an InputError naming it. A pod that states spec.priority too (as
   * `kubectl get pods -o yaml` prints) must agree with its class, as the admission plugin requires.
   */
  resolve(f: Fields, spec: FieldPath): ResolvedPriority {
    const namePath = [...spec, 'priorityClassName'];
    const name = f.string(namePath);
    const stated = f.int([...spec, 'priority'], -2_147_483_648, 2_147_483_647);
    let r: ResolvedPriority;
    if (name !== undefined && name !== '') {
      const value = BUILTIN_PRIORITY_CLASSES[name] ?? this.classes.get(name)?.value;
      if (value === undefined) {
        const known = [...this.classes.keys(), ...Object.keys(BUILTIN_PRIORITY_CLASSES)].join(', ');
        throw f.at.problem(namePath, `PriorityClass "${name}" is not defined in the input and is not built in (known: ${known})`);
      }
      r = { value, className: name, source: 'class' };
    } else if (stated !== undefined) {
      return { value: stated, source: 'spec.priority' };
    } else if (this.globalDefault !== undefined) {
      return { value: this.classes.get(this.globalDefault)!.value, className: this.globalDefault, source: 'global-default' };
    } else {
      return { value: 0, source: 'none' };
    }
    if (stated !== undefined && stated !== r.value) {
      throw f.at.problem([...spec, 'priority'], `spec.priority ${stated} disagrees with PriorityClass ${name} (value ${r.value})`);
    }
    return r;
  }
}
