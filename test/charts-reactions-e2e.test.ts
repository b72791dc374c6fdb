import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResultsFolder } from '../reports/results-reader.js';
import { ROOT, schedlab } from './helpers/cli.js';

/**
 * The reactions' charts and report on a real run through the compiled CLI: Online Boutique
 * (microservices-demo) at 3 replicas per service on 6 generated nodes over 3 zones (round-robin,
 * so us-east-1a holds 2 nodes), us-east-1a down from 10 to 40 minutes. Expectations follow from
 * the rules, not from a previous run: before the outage every replica is ready (availability 1);
 * when the zone's nodes fail their pods stop being ready, so availability falls below 1 at 10 min;
 * the node lifecycle controller evicts them (taint-eviction rows in events.csv), which the
 * reactions chart counts.
 */
const DEMO = join(ROOT, '..', 'shared', 'data', 'realworld', 'kubernetes', 'microservices-demo', 'kubernetes-manifests');
const present = existsSync(DEMO);
if (!present) console.warn(`reactions charts on real manifests skipped: ${DEMO} is absent (see ../shared/data/README.md)`);

const root = mkdtempSync(join(tmpdir(), 'schedlab-charts-reactions-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OUTAGE = ['--zone-outage', 'zone=us-east-1a,at=10m,for=30m'];
const COMMON = ['--workload', DEMO, '--nodes', '6', '--min-replicas', '3', ...OUTAGE, '--quiet'];
type Row = Record<string, unknown>;
const chartValues = (dir: string, name: string): Row[] => (JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8')) as { data: { values: Row[] } }).data.values;

describe.skipIf(!present)('reactions in the charts and the report, Online Boutique with a zone down', () => {
  it('replay --out: availability dips during the outage, taint evictions are counted, the report shows the reactions rows', () => {
    const out = join(root, 'replay');
    const r = schedlab(['replay', ...COMMON, '--policy', 'kube-framework', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['availability-over-time', 'reaction-events-over-time']) {
      for (const ext of ['.vl.json', '.svg', '.png']) expect(existsSync(join(out, name + ext)), name + ext).toBe(true);
    }
    const v = chartValues(out, 'availability-over-time');
    // The value in effect at h (chart times are rounded to the microsecond-hour).
    const at = (h: number) => v.filter((p) => (p.time_h as number) <= Math.round(h * 1e6) / 1e6).at(-1)!.availability as number;
    expect(at(0)).toBe(1);
    expect(at(9.9 / 60)).toBe(1);
    const during = v.filter((p) => (p.time_h as number) >= 10 / 60 && (p.time_h as number) < 40 / 60).map((p) => p.availability as number);
    expect(Math.min(...during)).toBeLessThan(1);
    expect(Math.min(...during)).toBeGreaterThan(0); // two zones keep a replica of every service up (spread by default)

    // The chart agrees with availability.csv summed by hand at 10 min.
    const a = readResultsFolder(out).availability!;
    let want = 0;
    let ready = 0;
    const last = new Map<string, [number, number]>();
    for (let i = 0; i < a.length; i++) if (a.timeS[i] <= 600) last.set(`${a.kind[i]} ${a.workload[i]}`, [a.desired[i], a.ready[i]]);
    for (const [d, rd] of last.values()) {
      want += d;
      ready += Math.min(d, rd);
    }
    expect(want).toBeGreaterThan(0);
    expect(at(10 / 60)).toBeCloseTo(ready / want, 5);

    const e = chartValues(out, 'reaction-events-over-time');
    const evictions = e.filter((x) => x.cause === 'taint-eviction').reduce((s, x) => s + (x.events as number), 0);
    const csv = readFileSync(join(out, 'events.csv'), 'utf8').split('\n').filter((l) => l.split(',')[5] === 'taint-eviction').length;
    expect(csv).toBeGreaterThan(0);
    expect(evictions).toBe(csv);
    // The evictions follow the outage: none before 10 min.
    expect(Math.min(...e.map((x) => x.bin_start_h as number))).toBeGreaterThanOrEqual(10 / 60);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const text of ['availability (mean over workloads)', 'node failures', 'taint-based evictions']) {
      expect(html, text).toContain(text);
      expect(md, text).toContain(text);
    }
    expect(html).toContain('id="availability-over-time"');
    expect(md).toContain('(availability-over-time.png)');
    expect(md).toContain('(reaction-events-over-time.png)');

    // schedlab report on that folder.
    const rep = join(root, 'replay-report');
    const again = schedlab(['report', out, '--out', rep]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(rep, 'report.md'), 'utf8')).toContain('availability (mean over workloads)');
    expect(existsSync(join(rep, 'availability-over-time.png'))).toBe(true);
  });

  it('compare --out and schedlab report on it: one availability line per run, the bin-packing policy loses every replica', () => {
    const out = join(root, 'compare');
    const r = schedlab(['compare', ...COMMON, '--policies', 'kube-framework,first-fit', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rep = join(root, 'compare-report');
    const again = schedlab(['report', out, '--out', rep]);
    expect(again.code, again.stderr).toBe(0);
    const v = chartValues(rep, 'availability-over-time');
    expect([...new Set(v.map((p) => p.run))]).toEqual(['kube-framework', 'first-fit']);
    // first-fit packs all 36 pods onto the first node(s), node-0 in us-east-1a: the outage takes them all.
    const min = (run: string) => Math.min(...v.filter((p) => p.run === run && p.availability !== null).map((p) => p.availability as number));
    expect(min('first-fit')).toBe(0);
    expect(min('kube-framework')).toBeGreaterThan(0);
    const md = readFileSync(join(rep, 'report.md'), 'utf8');
    expect(md).toMatch(/\| availability \(mean over workloads\) \| [\d.]+% \| [\d.]+% \|/);
    expect(md).toContain('(reaction-events-over-time.png)');
  });
});
