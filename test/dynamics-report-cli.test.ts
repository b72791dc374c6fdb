import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schedlab } from './helpers/cli.js';
import type { RunSummary } from '../reports/summary.js';

/**
 * The dynamics reports end to end through the compiled CLI, on the embedded synthetic workload
 * with memory overcommit: events.csv, the tasks.csv counters, the summary's totals and breakdowns
 * agree with each other; the flags reach run.json; bad values exit 2 with one line.
 */
const SMALL = ['--tasks', '3000', '--nodes', '20', '--seed', '1', '--quiet'];

interface Csv { header: string[]; rows: string[][] }

/** A CSV of schedlab's (fields quoted only when they hold a comma or quote). */
function readCsv(path: string): Csv {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const split = (l: string): string[] => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < l.length; i++) {
      const c = l[i];
      if (quoted) {
        if (c === '"' && l[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
    }
    out.push(cur);
    return out;
  };
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

const column = (csv: Csv, name: string): string[] => {
  const k = csv.header.indexOf(name);
  if (k < 0) throw new Error(`no column ${name}`);
  return csv.rows.map((r) => r[k]);
};
const sum = (xs: string[]): number => xs.reduce((a, x) => a + (x === '' ? 0 : Number(x)), 0);

describe('node dynamics reports through the CLI', () => {
  it('memory overcommit: events.csv, tasks.csv and the summary agree, and the breakdowns sum to the totals', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-dyn-')), 'run');
    const r = schedlab(['replay', ...SMALL, '--overcommit', 'memory=1.5', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.config.dynamics).toEqual({ enabled: true, overcommit: 'memory=1.5' });
    const s: RunSummary = run.summary;
    const d = s.dynamics!;
    expect(d).toBeDefined();
    // The run must have something to report, or the identities below are vacuous.
    expect(d.evictionsTotal).toBeGreaterThan(0);

    const events = readCsv(join(out, 'events.csv'));
    expect(events.header).toEqual(['time_s', 'node', 'task_id', 'job', 'task_index', 'cause', 'qos', 'band', 'memory_bytes', 'amount', 'duration_s']);
    const causes = column(events, 'cause');
    const count = (c: string) => causes.filter((x) => x === c).length;
    for (const [cause, n] of Object.entries(d.evictionsByCause)) expect(count(cause), cause).toBe(n ?? 0);
    expect(count('pressure-on')).toBe(d.pressureTransitions.on);
    expect(count('pressure-off')).toBe(d.pressureTransitions.off);
    // Event times are in the window and in order.
    const times = column(events, 'time_s').map(Number);
    for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThanOrEqual(times[k - 1]);
    expect(times.at(-1)!).toBeLessThanOrEqual(s.windowHours * 3600);

    const tasks = readCsv(join(out, 'tasks.csv'));
    expect(tasks.header.at(-1)).toBe('pending_reason');
    expect(sum(column(tasks, 'evictions'))).toBe(d.kubeletEvictions);
    expect(sum(column(tasks, 'oom_kills'))).toBe(d.oomKills);
    expect(sum(column(tasks, 'throttled_cpu_seconds'))).toBeCloseTo(d.throttledCpuSeconds!, 3);
    expect(sum(column(tasks, 'lost_work_seconds'))).toBeCloseTo(d.lostWorkTaskSeconds, 3);
    // Kubelet evictions and OOM kills in the log are the per-task counters.
    expect(count('eviction-memory-pressure') + count('eviction-disk-pressure')).toBe(d.kubeletEvictions);
    expect(count('oom-limit') + count('oom-node')).toBe(d.oomKills);
    // An event's task columns are the task's in tasks.csv.
    const qosOf = new Map(tasks.rows.map((row) => [row[0], row[tasks.header.indexOf('qos')]]));
    const taskIds = column(events, 'task_id');
    const eventQos = column(events, 'qos');
    for (let k = 0; k < taskIds.length; k++) if (taskIds[k] !== '') expect(eventQos[k]).toBe(qosOf.get(taskIds[k]));

    const classes = d.classes;
    const total = (f: (c: (typeof classes)[number]) => number) => classes.reduce((a, c) => a + f(c), 0);
    expect(total((c) => c.tasks)).toBe(s.tasks.submitted);
    expect(total((c) => c.scheduled)).toBe(s.tasks.scheduled);
    expect(total((c) => c.pendingAtEnd)).toBe(s.tasks.pendingAtEnd);
    expect(total((c) => c.evictions)).toBe(d.kubeletEvictions);
    expect(total((c) => c.oomKills)).toBe(d.oomKills);
    expect(d.evictionsByClass.reduce((a, e) => a + e.count, 0)).toBe(d.evictionsTotal);
    // Per class, tasks.csv counts the same tasks.
    for (const c of classes) {
      const n = tasks.rows.filter((row) => row[tasks.header.indexOf('qos')] === c.qos && row[tasks.header.indexOf('band')] === c.band).length;
      expect(n, `${c.qos}/${c.band}`).toBe(c.tasks);
    }

    expect(r.stdout).toMatch(/\nevictions \(all causes\) +[\d,]+\n/);
    expect(r.stdout).toMatch(/\nclass \(QoS \/ band\) +tasks +scheduled +pending at end +evictions +OOM kills\n/);
    expect(r.stdout).toMatch(/\nnode dynamics: .*overcommit=/);
  });

  it('the same seed writes the same events.csv and tasks.csv (with events in them)', () => {
    const [a, b] = [0, 1].map(() => {
      const out = join(mkdtempSync(join(tmpdir(), 'schedlab-dyn-')), 'run');
      expect(schedlab(['replay', ...SMALL, '--overcommit', 'memory=1.5', '--out', out]).code).toBe(0);
      return out;
    });
    const events = readFileSync(join(a, 'events.csv'), 'utf8');
    expect(events.split('\n').length).toBeGreaterThan(10);
    expect(readFileSync(join(b, 'events.csv'), 'utf8')).toBe(events);
    expect(readFileSync(join(b, 'tasks.csv'), 'utf8')).toBe(readFileSync(join(a, 'tasks.csv'), 'utf8'));
  });

  it('--no-dynamics (and nothing reacting): no events.csv, no dynamics columns or summary', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-dyn-')), 'run');
    // Reactions log to events.csv too: with them off as well, nothing does.
    const r = schedlab(['replay', ...SMALL, '--no-dynamics', '--preemption', 'none', '--no-controllers', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'events.csv'))).toBe(false);
    const tasks = readCsv(join(out, 'tasks.csv'));
    expect(tasks.header).toContain('qos');
    expect(tasks.header).not.toContain('evictions');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.config.dynamics).toEqual({ enabled: false });
    expect(run.summary.dynamics).toBeUndefined();
    expect(r.stdout).not.toMatch(/^evictions \(all causes\)|^node dynamics:|^class \(QoS/m);
  });

  it('every dynamics flag reaches run.json as a DynamicsSpec, and the run states the settings it modeled', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schedlab-dyn-')), 'run');
    const r = schedlab([
      'replay', '--tasks', '500', '--nodes', '10', '--quiet', '--out', out,
      '--usage', 'synthetic', '--housekeeping-seconds', '20',
      '--eviction-hard', 'memory.available<200Mi', '--eviction-soft', 'memory.available<1Gi', '--eviction-soft-grace-period', 'memory.available=1m',
      '--eviction-minimum-reclaim', 'memory.available=100Mi', '--eviction-pressure-transition-period', '2m',
      '--kube-reserved', 'cpu=100m,memory=500Mi', '--system-reserved', 'memory=200Mi', '--overcommit', 'cpu=2,memory=1.2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.config.dynamics).toEqual({
      enabled: true,
      usage: 'synthetic',
      housekeepingSeconds: 20,
      evictionHard: 'memory.available<200Mi',
      evictionSoft: 'memory.available<1Gi',
      evictionSoftGracePeriod: 'memory.available=1m',
      evictionMinimumReclaim: 'memory.available=100Mi',
      evictionPressureTransitionPeriod: '2m',
      kubeReserved: 'cpu=100m,memory=500Mi',
      systemReserved: 'memory=200Mi',
      overcommit: 'cpu=2,memory=1.2',
    });
    expect(run.summary.dynamics.settings).toMatchObject({ usage: 'synthetic', housekeepingSeconds: 20, evictionHard: 'memory.available<200Mi', evictionSoft: 'memory.available<1Gi' });
  });

  it('compare crosses policies with overcommit settings; each column is the replay of that policy and setting', () => {
    const args = ['--tasks', '2000', '--nodes', '15', '--seed', '3'];
    const r = schedlab(['compare', '--policies', 'first-fit,kube-default', '--overcommit', '1,1.5', '--json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.runs).toEqual([
      { label: 'first-fit oc=1', policy: 'first-fit', overcommit: '1' },
      { label: 'first-fit oc=1.5', policy: 'first-fit', overcommit: '1.5' },
      { label: 'kube-default oc=1', policy: 'kube-default', overcommit: '1' },
      { label: 'kube-default oc=1.5', policy: 'kube-default', overcommit: '1.5' },
    ]);
    expect(c.baseline).toBe('first-fit oc=1');
    expect(Object.keys(c.savingsPerYear)).toEqual(c.runs.map((x: { label: string }) => x.label));
    // Worker threads give what a replay of the same policy and setting gives.
    const one = JSON.parse(schedlab(['replay', '--policy', 'kube-default', '--overcommit', '1.5', '--json', ...args]).stdout);
    expect(c.summaries[3]).toEqual(one);
    const text = schedlab(['compare', '--policies', 'first-fit', '--overcommit-predictors', 'borg-default,max', ...args]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/first-fit oc=peak:borg-default +first-fit oc=peak:max\n/);
    expect(text.stdout).toMatch(/\nviolation rate +[\d.]+% +[\d.]+%\n/);
  });

  it.each([
    [['replay', '--eviction-hard', 'memory.available<abc'], /^schedlab: --eviction-hard: .*memory\.available<abc/],
    [['replay', '--eviction-hard', 'memory.available<150%'], /^schedlab: --eviction-hard: .*150%/],
    [['replay', '--overcommit', '0'], /^schedlab: --overcommit.*'0'/],
    [['replay', '--overcommit', 'cpu=-1'], /^schedlab: --overcommit.*-1/],
    [['replay', '--housekeeping-seconds', 'soon'], /^schedlab: --housekeeping-seconds: expected a positive number, got 'soon'/],
    [['replay', '--usage', 'psychic'], /^schedlab: --usage: expected one of auto, trace, library, synthetic, flat, got 'psychic'/],
    [['replay', '--usage-library', '/no/such/folder'], /^schedlab: --usage-library: no such folder '\/no\/such\/folder'/],
    [['replay', '--dynamics=perhaps'], /^schedlab: --dynamics: a flag takes no value/],
    [['replay', '--no-dynamics', '--overcommit', '2'], /^schedlab: --overcommit: applies to node dynamics, which --no-dynamics turns off/],
    [['compare', '--policies', 'first-fit', '--overcommit-predictors', 'crystal-ball'], /^schedlab: --overcommit.*unknown peak predictor 'crystal-ball'/],
    [['compare', '--policies', 'first-fit', '--overcommit', '1,,2'], /^schedlab: --overcommit: an empty item/],
  ])('bad value %j: exit 2, one line', (args, message) => {
    const r = schedlab([...args, '--tasks', '200', '--nodes', '5', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
