import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schedlab } from './helpers/cli.js';

const SMALL = ['--nodes', '20', '--tasks', '3000', '--hours', '6', '--quiet'];
const dir = mkdtempSync(join(tmpdir(), 'schedlab-arch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay --architecture, end to end on the synthetic Borg-like workload', () => {
  for (const arch of ['monolithic', 'two-level', 'shared-state', 'queues']) {
    it(`${arch}: places jobs, reports busyness in (0, 1) and is reproducible from its seed`, () => {
      const args = ['replay', '--architecture', arch, ...SMALL, '--policy', 'best-fit', '--json'];
      const a = schedlab(args);
      expect(a.stderr).toBe('');
      expect(a.code).toBe(0);
      const r = JSON.parse(a.stdout);
      expect(r.seed).toBe(1);
      expect(r.settings.architecture).toBe(arch);
      expect(r.jobs.all.submitted).toBeGreaterThan(50);
      expect(r.jobs.all.fullyPlaced).toBeGreaterThan(r.jobs.all.submitted * 0.8);
      expect(r.jobs.all.tasksSubmitted).toBe(3000);
      for (const s of r.schedulers) {
        expect(s.busyness).toBeGreaterThanOrEqual(0);
        expect(s.busyness).toBeLessThan(1);
      }
      expect(r.schedulers.some((s: { busyness: number }) => s.busyness > 0)).toBe(true);
      expect(r.allocation.cpu).toBeGreaterThan(0);
      expect(schedlab(args).stdout).toBe(a.stdout);
    });
  }

  it('prints the summary table and the seed, and writes run.json with --out', () => {
    const out = join(dir, 'ss');
    const r = schedlab(['replay', '--architecture', 'shared-state', '--schedulers', '2', '--conflict', 'coarse', ...SMALL.slice(0, -1), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^architecture shared-state, policy kube-default/);
    expect(r.stdout).toMatch(/batch-2 /);
    expect(r.stdout).toMatch(/conflict fraction/);
    expect(r.stderr).toMatch(/seed 1, architecture shared-state/);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.architecture.extra.conflictDetection).toBe('coarse');
    expect(run.config.architecture.schedulers).toBe(2);
  });

  it.each([
    [['--architecture', 'mesos'], /--architecture: unknown architecture 'mesos'/],
    [['--architecture', 'monolithic', '--t-job', '-1'], /--t-job: expected a number of seconds ≥ 0, got '-1'/],
    [['--architecture', 'two-level', '--framework-weights', 'batch=0'], /--framework-weights/],
    [['--architecture', 'monolithic', '--schedulers', '2'], /--schedulers: applies to --architecture shared-state, not monolithic/],
    [['--schedulers', '2'], /--schedulers: applies only with --architecture/],
    [['--architecture', 'monolithic', '--overcommit', '1.5'], /--overcommit: not modelled under --architecture/],
    [['--architecture', 'queues', '--queue-config', 'test/fixtures/architectures/capacity-over-100.xml'], /capacity-over-100\.xml line 10 \(yarn\.scheduler\.capacity\.root\.b\.capacity\): capacities of root's children sum to 110/],
    [['--architecture', 'shared-state', '--queue-config', 'x.xml'], /--queue-config: applies to --architecture queues, not shared-state/],
  ])('bad input %j: exit 2 with one line naming the field', (extra, message) => {
    const r = schedlab(['replay', ...SMALL, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('experiment architectures', () => {
  it('sweeps the service t_job per architecture and reproduces the Omega directions it can on a small cell', () => {
    const out = join(dir, 'exp');
    const r = schedlab(['experiment', 'architectures', '--t-jobs', '0.1,30', '--architectures', 'monolithic-single,monolithic-multi,shared-state', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const at = (v: string, x: number) => s.points.find((p: { variant: string; serviceTJob: number }) => p.variant === v && p.serviceTJob === x);
    expect(s.points).toHaveLength(6);
    // The single-path monolithic scheduler spends the swept time on every job: it saturates first.
    expect(at('monolithic-single', 30).serviceBusyness).toBeGreaterThan(at('monolithic-single', 0.1).serviceBusyness);
    expect(at('monolithic-single', 30).serviceBusyness).toBeGreaterThan(at('monolithic-multi', 30).serviceBusyness);
    // Shared state: the service scheduler's own busyness grows with its t_job, but batch keeps its own scheduler.
    expect(at('shared-state', 30).serviceBusyness).toBeGreaterThan(at('shared-state', 0.1).serviceBusyness);
    expect(at('shared-state', 30).batchWaitFirst).toBeLessThan(at('monolithic-single', 30).batchWaitFirst);
    expect(at('shared-state', 30).serviceConflictFraction).toBeGreaterThanOrEqual(at('shared-state', 0.1).serviceConflictFraction);
    for (const c of ['architectures-busyness', 'architectures-unscheduled', 'architectures-conflicts']) expect(existsSync(join(out, `${c}.svg`))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Architectures by service decision time/);
    expect(r.stdout).toMatch(/monolithic-single\s+30\s/);
  });
});
