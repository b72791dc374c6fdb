import { describe, expect, it } from 'vitest';
import { compareRuns } from '../harness/compare.js';
import { dynamicsSpecFromArgs, overcommitChoices, type DynamicsArgs } from '../cli/options.js';
import { UsageError } from '../model/errors.js';
import type { ReplaySpec } from '../harness/replay-spec.js';

/**
 * compare's overcommit dimension (README "Commands": compare) and the dynamics flags of replay
 * and compare: how the option text becomes settings, runs and DynamicsSpecs.
 */
const BASE: Omit<ReplaySpec, 'policy'> = { workload: 'synthetic', seed: 4, nodes: 10, tasks: 100, hours: 1, instance: 'm5.2xlarge', dynamics: { enabled: true, evictionHard: 'memory.available<200Mi' } };

describe('--overcommit as a compare dimension', () => {
  it('one setting per comma-separated item, passed to the harness as given (a bare number is the CPU and memory ratio there)', () => {
    expect(overcommitChoices('1,1.5,2', undefined)).toEqual([
      { label: '1', setting: '1' },
      { label: '1.5', setting: '1.5' },
      { label: '2', setting: '2' },
    ]);
  });

  it('key=value items continue the setting before them when it has key=value parts; other kinds stand alone', () => {
    expect(overcommitChoices('1,cpu=2,memory=1.2,borg,ratio:cpu=3,memory=1,koordinator:cpu=60,memory=65,peak:max:p=95,n=3,peak:oracle', undefined).map((c) => c.setting)).toEqual([
      '1', 'cpu=2,memory=1.2', 'borg', 'ratio:cpu=3,memory=1', 'koordinator:cpu=60,memory=65', 'peak:max:p=95,n=3', 'peak:oracle',
    ]);
    // ';' separates two settings that would otherwise join.
    expect(overcommitChoices('cpu=2;cpu=3,memory=1.1', undefined).map((c) => c.setting)).toEqual(['cpu=2', 'cpu=3,memory=1.1']);
    // After a setting without key=value parts, a key=value item starts a new one.
    expect(overcommitChoices('borg,cpu=2', undefined).map((c) => c.setting)).toEqual(['borg', 'cpu=2']);
  });

  it('--overcommit-predictors adds one peak:<name> setting per predictor, after --overcommit', () => {
    expect(overcommitChoices('1', 'borg-default, max:p=95,n=3,oracle')).toEqual([
      { label: '1', setting: '1' },
      { label: 'peak:borg-default', setting: 'peak:borg-default' },
      { label: 'peak:max:p=95,n=3', setting: 'peak:max:p=95,n=3' },
      { label: 'peak:oracle', setting: 'peak:oracle' },
    ]);
    expect(overcommitChoices(undefined, undefined)).toEqual([]);
  });

  it('bad lists: an empty item, a setting given twice', () => {
    expect(() => overcommitChoices('1,,2', undefined)).toThrow(new UsageError("--overcommit: an empty item in '1,,2'; separate settings with single commas"));
    expect(() => overcommitChoices('1;', undefined)).toThrow(/--overcommit: an empty item/);
    expect(() => overcommitChoices('peak:max', 'max')).toThrow(/'peak:max' given twice/);
    expect(() => overcommitChoices(undefined, 'max,')).toThrow(/--overcommit-predictors: an empty item/);
    expect(() => overcommitChoices('1,1', undefined)).toThrow(UsageError);
  });
});

describe('compareRuns: policies crossed with overcommit settings', () => {
  it('without settings: one run per policy, the base spec unchanged', () => {
    const runs = compareRuns(BASE, ['first-fit', 'best-fit']);
    expect(runs.map((r) => r.label)).toEqual(['first-fit', 'best-fit']);
    expect(runs[1].spec).toEqual({ ...BASE, policy: 'best-fit' });
  });

  it('policies outer, settings inner; each run keeps the base dynamics and gets its overcommit', () => {
    const runs = compareRuns(BASE, ['first-fit', 'kube-default'], overcommitChoices('1,2', 'max'));
    expect(runs.map((r) => r.label)).toEqual([
      'first-fit oc=1', 'first-fit oc=2', 'first-fit oc=peak:max',
      'kube-default oc=1', 'kube-default oc=2', 'kube-default oc=peak:max',
    ]);
    expect(runs[4]).toEqual({
      label: 'kube-default oc=2',
      policy: 'kube-default',
      overcommit: '2',
      spec: { ...BASE, policy: 'kube-default', dynamics: { enabled: true, evictionHard: 'memory.available<200Mi', overcommit: '2' } },
    });
    // The base spec is not changed by the expansion.
    expect(BASE.dynamics).toEqual({ enabled: true, evictionHard: 'memory.available<200Mi' });
  });

  it('overcommit settings with dynamics off are refused, not ignored', () => {
    expect(() => compareRuns({ ...BASE, dynamics: { enabled: false } }, ['first-fit'], overcommitChoices('2', undefined))).toThrow(/--overcommit: applies to node dynamics, which are off/);
    expect(compareRuns({ ...BASE, dynamics: { enabled: false } }, ['first-fit'])).toHaveLength(1);
  });

  it('no policy is an error naming --policies', () => {
    expect(() => compareRuns(BASE, [], overcommitChoices('1', undefined))).toThrow(/--policies: give at least one policy/);
  });
});

describe('dynamics flags into a DynamicsSpec', () => {
  const args = (a: Partial<DynamicsArgs>): DynamicsArgs => ({ placement: 'policy', ...a });

  it('default on; only the options given are set, under their DynamicsSpec names', () => {
    expect(dynamicsSpecFromArgs(args({}))).toEqual({ enabled: true });
    expect(
      dynamicsSpecFromArgs(
        args({
          dynamics: true,
          usage: 'library',
          'usage-library': '../shared/data/usage',
          'usage-set': 'planetlab',
          'housekeeping-seconds': 30,
          'eviction-hard': 'memory.available<5%',
          'eviction-soft': 'memory.available<1Gi',
          'eviction-soft-grace-period': 'memory.available=90s',
          'eviction-minimum-reclaim': 'memory.available=500Mi',
          'eviction-pressure-transition-period': '2m',
          'kube-reserved': 'cpu=100m,memory=1Gi',
          'system-reserved': 'memory=500Mi',
        }),
        'peak:max',
      ),
    ).toEqual({
      enabled: true,
      usage: 'library',
      usageLibrary: '../shared/data/usage',
      usageLibrarySet: 'planetlab',
      housekeepingSeconds: 30,
      evictionHard: 'memory.available<5%',
      evictionSoft: 'memory.available<1Gi',
      evictionSoftGracePeriod: 'memory.available=90s',
      evictionMinimumReclaim: 'memory.available=500Mi',
      evictionPressureTransitionPeriod: '2m',
      kubeReserved: 'cpu=100m,memory=1Gi',
      systemReserved: 'memory=500Mi',
      overcommit: 'peak:max',
    });
  });

  it('--no-dynamics is the reservation-only replay; a dynamics option with it is refused, not ignored', () => {
    expect(dynamicsSpecFromArgs(args({ dynamics: false }))).toEqual({ enabled: false });
    expect(() => dynamicsSpecFromArgs(args({ dynamics: false }), 'cpu=2')).toThrow(/--overcommit: applies to node dynamics, which --no-dynamics turns off/);
    expect(() => dynamicsSpecFromArgs(args({ dynamics: false, 'eviction-hard': 'memory.available<1Gi' }))).toThrow(
      new UsageError('--eviction-hard: applies to node dynamics, which --no-dynamics turns off'),
    );
  });

  it('--placement recorded turns them off; --dynamics or a dynamics option with it is refused', () => {
    expect(dynamicsSpecFromArgs(args({ placement: 'recorded' }))).toEqual({ enabled: false });
    expect(() => dynamicsSpecFromArgs(args({ placement: 'recorded', dynamics: true }))).toThrow(/--dynamics: does not apply with --placement recorded/);
    expect(() => dynamicsSpecFromArgs(args({ placement: 'recorded', usage: 'flat' }))).toThrow(new UsageError('--usage: applies to node dynamics, which are off under --placement recorded'));
  });
});
