import { Fields } from './fields.js';
import type { FieldPath, ManifestObject, SourceLocation } from './manifest-documents.js';

/**
 * Pod priority (scheduling.k8s.io/v1 PriorityClass). The Priority admission plugin
 * (plugin/pkg/admission/priority admitPod) turns a pod's priorityClassName into spec.priority and
 * spec.preemptionPolicy: the named class's value and policy, the globalDefault class's when no name
 * is given, else 0 and PreemptLowerPriority. A class's preemptionPolicy defaults to
 * PreemptLowerPriority. Two classes are built in.
 */
export const BUILTIN_PRIORITY_CLASSES: Readonly<Record<string, number>> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

/** The largest value a user-defined class may have (HighestUserDefinablePriority). */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;

export type PreemptionPolicy = 'PreemptLowerPriority' | 'Never';
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'] as const;

interface ClassEntry {
  value: number;
  globalDefault: boolean;
  preemptionPolicy: PreemptionPolicy;
  at: SourceLocation;
}

export interface ResolvedPriority {
  value: number;
  /** The class that gave the value (named, or the global default), if any. */
  className?: string;
  source: 'class' | 'global-default' | 'spec.priority' | 'none';
  /** What the pod may do when it does not fit: the class's policy (PreemptLowerPriority without a class). */
  preemptionPolicy: PreemptionPolicy;
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
    const preemptionPolicy = f.oneOf(['preemptionPolicy'], PREEMPTION_POLICIES) ?? 'PreemptLowerPriority';
    const prev = this.classes.get(name);
    if (prev !== undefined) {
      throw o.at.problem(['metadata', 'name'], `PriorityClass ${name} is defined twice (first at line ${prev.at.line() ?? '?'} of ${prev.at.file})`);
    }
    if (globalDefault && this.globalDefault !== undefined) {
      throw o.at.problem(['globalDefault'], `two PriorityClasses are globalDefault: ${this.globalDefault} and ${name}`);
    }
    if (globalDefault) this.globalDefault = name;
    this.classes.set(name, { value, globalDefault, preemptionPolicy, at: o.at });
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
   * `kubectl get pods -o yaml` prints) must agree with its class, as the admission plugin requires;
   * so must a stated spec.preemptionPolicy (the plugin forbids the pod otherwise, with the message
   * quoted here). Without a class the policy is PreemptLowerPriority: `Never` needs a class.
   */
  resolve(f: Fields, spec: FieldPath): ResolvedPriority {
    const r = this.resolveValue(f, spec);
    const policyPath = [...spec, 'preemptionPolicy'];
    const statedPolicy = f.oneOf(policyPath, PREEMPTION_POLICIES);
    if (statedPolicy !== undefined && statedPolicy !== r.preemptionPolicy) {
      throw f.at.problem(
        policyPath,
        `the string value of PreemptionPolicy (${statedPolicy}) must not be provided in pod spec; priority admission controller computed ${r.preemptionPolicy} from the given PriorityClass name` +
          (r.className === undefined ? ' (no class: set preemptionPolicy on a PriorityClass instead)' : ` (${r.className})`),
      );
    }
    return r;
  }

  private resolveValue(f: Fields, spec: FieldPath): ResolvedPriority {
    const namePath = [...spec, 'priorityClassName'];
    const name = f.string(namePath);
    const stated = f.int([...spec, 'priority'], -2_147_483_648, 2_147_483_647);
    const lower = 'PreemptLowerPriority' as const;
    let r: ResolvedPriority;
    if (name !== undefined && name !== '') {
      const builtin = BUILTIN_PRIORITY_CLASSES[name];
      const entry = this.classes.get(name);
      const value = builtin ?? entry?.value;
      if (value === undefined) {
        const known = [...this.classes.keys(), ...Object.keys(BUILTIN_PRIORITY_CLASSES)].join(', ');
        throw f.at.problem(namePath, `PriorityClass "${name}" is not defined in the input and is not built in (known: ${known})`);
      }
      r = { value, className: name, source: 'class', preemptionPolicy: builtin !== undefined ? lower : entry!.preemptionPolicy };
    } else if (stated !== undefined) {
      return { value: stated, source: 'spec.priority', preemptionPolicy: this.globalDefault !== undefined ? this.classes.get(this.globalDefault)!.preemptionPolicy : lower };
    } else if (this.globalDefault !== undefined) {
      const d = this.classes.get(this.globalDefault)!;
      return { value: d.value, className: this.globalDefault, source: 'global-default', preemptionPolicy: d.preemptionPolicy };
    } else {
      return { value: 0, source: 'none', preemptionPolicy: lower };
    }
    if (stated !== undefined && stated !== r.value) {
      throw f.at.problem([...spec, 'priority'], `spec.priority ${stated} disagrees with PriorityClass ${name} (value ${r.value})`);
    }
    return r;
  }
}
