import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../reports/report/write-report.js';
import { systemBinary } from './helpers/system-binary.js';
import { schedlab } from './helpers/cli.js';
import { handmadeReport } from './helpers/report-fixture.js';

const CHROMIUM = systemBinary('/usr/bin/chromium', "Debian's chromium package, for the report's real-browser test");

/**
 * Opens a report.html from disk in a real Chromium and records everything the page does: every
 * request, console error and page error, whether vega-embed drew each chart, and a screenshot.
 */
export async function openReport(html: string, screenshot: string, topShot?: string) {
  const { chromium } = await import('playwright-core');
  // CI runs as root, where Chromium refuses its sandbox.
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    await page.waitForSelector('body[data-charts]', { timeout: 30_000 });
    const state = await page.getAttribute('body', 'data-charts');
    // Per chart: the SVG vega-embed made, and how many drawn shapes its mark groups hold.
    const charts = await page.$$eval('div.chart', (divs) =>
      divs.map((d) => ({
        name: d.getAttribute('data-chart'),
        svg: d.querySelector('svg') !== null,
        marks: d.querySelectorAll('g.role-mark > path, g.role-mark > rect, g.role-mark > line, g.role-mark > circle, g.role-mark > g > path').length,
        text: d.querySelector('svg')?.textContent ?? '',
        lines: d.querySelectorAll('g.mark-line.role-mark > path').length,
        areas: d.querySelectorAll('g.mark-area.role-mark > path').length,
      })),
    );
    const tableCells = await page.$$eval('table td, table th', (cells) => cells.map((c) => c.textContent ?? ''));
    await page.screenshot({ path: screenshot, fullPage: true });
    if (topShot) await page.screenshot({ path: topShot, fullPage: false });
    return { state, requests, errors, charts, tableCells };
  } finally {
    await browser.close();
  }
}

describe.skipIf(CHROMIUM === null)('report.html in a real browser (Chromium)', () => {
  it('draws every chart, asks no network and logs no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-report-browser-'));
    const input = handmadeReport();
    await writeReport(dir, input);
    const shot = join(dir, 'screenshot.png');
    const r = await openReport(join(dir, 'report.html'), shot);
    expect(r.errors).toEqual([]);
    expect(r.state).toBe('rendered');
    expect(r.requests.length).toBeGreaterThan(0);
    expect(r.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(r.charts.map((c) => c.name)).toEqual(input.charts.map((c) => c.name));
    for (const c of r.charts) {
      expect(c.svg, c.name!).toBe(true);
      expect(c.marks, c.name!).toBeGreaterThan(0);
    }
    // Three bars; two lines (one per policy).
    expect(r.charts[0].marks).toBe(3);
    expect(r.charts[1].marks).toBe(2);
    // Axis titles, and a label that went through the inline JSON intact.
    expect(r.charts[0].text).toContain('busy nodes (count)');
    expect(r.charts[0].text).toContain('odd </script><!-- "name"');
    expect(r.charts[1].text).toContain('time (h)');
    expect(r.tableCells).toContain('$336,384.00');
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });
});

/** A run's events.csv has an eviction or an OOM kill (not only throttling or pressure transitions). */
function hadEvents(runDir: string): boolean {
  const [header, ...rows] = readFileSync(join(runDir, 'events.csv'), 'utf8').trim().split('\n');
  const cause = header.split(',').indexOf('cause');
  return rows.some((r) => /^(eviction|oom)/.test(r.split(',')[cause]));
}

describe.skipIf(CHROMIUM === null)('the report of a real compare in Chromium', () => {
  const policies = ['first-fit', 'best-fit', 'kube-default'];

  /** compare --out, then its report.html in Chromium: every chart draws marks and names its runs, offline, without errors. */
  async function checkCompareReport(workload: string[], setting: string | undefined, topShot?: string): Promise<void> {
    const dir = join(mkdtempSync(join(tmpdir(), 'schedlab-report-browser-')), 'cmp');
    const run = schedlab(['compare', ...workload, '--quiet', '--policies', policies.join(','), ...(setting ? ['--overcommit', setting] : []), '--out', dir]);
    expect(run.code, run.stderr).toBe(0);
    const shot = join(dir, '..', 'screenshot.png');
    const r = await openReport(join(dir, 'report.html'), shot, topShot);
    expect(r.errors).toEqual([]);
    expect(r.state).toBe('rendered');
    expect(r.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    const written = readdirSync(dir).filter((f) => f.endsWith('.vl.json')).map((f) => f.replace(/\.vl\.json$/, ''));
    expect(r.charts.map((c) => c.name).sort()).toEqual(written.sort());
    expect(r.charts.length).toBeGreaterThanOrEqual(5);
    for (const c of r.charts) {
      expect(c.svg, c.name!).toBe(true);
      expect(c.marks, c.name!).toBeGreaterThan(0);
      // Each figure compares the runs: every policy is named in it (legend, axis or facet), the
      // evictions chart every policy that had an eviction or OOM kill (its facets are the runs with events).
      const named = c.name === 'evictions-over-time' ? policies.filter((p) => hadEvents(join(dir, 'runs', setting ? `${p}_oc=${setting}` : p))) : policies;
      if (c.name === 'evictions-over-time') expect(named.length, 'a run with evictions').toBeGreaterThan(0);
      for (const p of named) expect(c.text, `${c.name}: ${p}`).toContain(p);
    }
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  }

  it('compare --out with memory overcommit (so there are evictions to chart): every chart draws marks for every policy, offline, without errors', async () => {
    await checkCompareReport(['--tasks', '1500', '--nodes', '10', '--hours', '6', '--seed', '3'], 'memory=2.5');
  });

  // SCHEDLAB_UPDATE_DOCS=1: the README's picture of a report (docs/report-screenshot.png), the
  // default synthetic workload under three policies (its node dynamics evict), checked like the small one above.
  it.runIf(process.env.SCHEDLAB_UPDATE_DOCS === '1')('the README picture: the default workload, three policies', async () => {
    await checkCompareReport(['--seed', '1'], undefined, join(__dirname, '..', 'docs', 'report-screenshot.png'));
  });
});

describe.skipIf(CHROMIUM === null)('the other reports in Chromium: experiment fgd and sweep', () => {
  /** Opens DIR/report.html: drawn, offline, no error, and every chart the folder holds drew marks. */
  async function checkReport(dir: string): Promise<Awaited<ReturnType<typeof openReport>>> {
    const r = await openReport(join(dir, 'report.html'), join(dir, '..', 'screenshot.png'));
    expect(r.errors).toEqual([]);
    expect(r.state).toBe('rendered');
    expect(r.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    const written = readdirSync(dir).filter((f) => f.endsWith('.vl.json')).map((f) => f.replace(/\.vl\.json$/, ''));
    expect(written.length).toBeGreaterThan(0);
    expect(r.charts.map((c) => c.name).sort()).toEqual(written.sort());
    for (const c of r.charts) expect(c.marks, c.name!).toBeGreaterThan(0);
    return r;
  }

  it('experiment fgd --out: the allocation figure draws every policy', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'schedlab-report-browser-')), 'fgd');
    const fx = join(__dirname, 'fixtures', 'alibaba-openb');
    const run = schedlab(['experiment', 'fgd', '--pods', join(fx, 'openb_pod_list_tiny.csv'), '--nodes', join(fx, 'openb_node_list_all_node.csv'), '--seeds', '2', '--policies', 'random,best-fit,fgd', '--out', dir]);
    expect(run.code, run.stderr).toBe(0);
    const r = await checkReport(dir);
    // The diagonal, then a min–max band and a mean line per policy.
    expect(r.charts[0].lines).toBe(1 + 3);
    expect(r.charts[0].areas).toBe(3);
    // The legend names them.
    for (const p of ['random', 'best-fit', 'fgd']) expect(r.charts[0].text).toContain(p);
  });

  it('sweep --out: the error-bar charts draw', async () => {
    const root = mkdtempSync(join(tmpdir(), 'schedlab-report-browser-'));
    const config = join(root, 'sweep.yaml');
    writeFileSync(config, 'name: browser\npolicies: [first-fit, best-fit]\nseeds: 3\nnodes: 10\ntasks: 800\nhours: 4\n');
    const dir = join(root, 'sweep');
    const run = schedlab(['sweep', '--config', config, '--out', dir, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const r = await checkReport(dir);
    for (const c of r.charts) for (const p of ['first-fit', 'best-fit']) expect(c.text, `${c.name}: ${p}`).toContain(p);
  });
});
