import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../reports/report/write-report.js';
import { scriptSafe } from '../reports/report/browser-libraries.js';
import { jsonForScript } from '../reports/report/html-escape.js';
import { reportMarkdown } from '../reports/report/report-markdown.js';
import { handmadeCharts, handmadeReport } from './helpers/report-fixture.js';

const MODULES = join(__dirname, '..', 'node_modules');
const versionOf = (p: string) => (JSON.parse(readFileSync(join(MODULES, p, 'package.json'), 'utf8')) as { version: string }).version;

/** The text of every <script> element, in order, as an HTML parser would split them. */
function scripts(html: string): Array<{ attrs: string; text: string }> {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1], text: m[2] }));
}

describe('scriptSafe and jsonForScript', () => {
  it('leave no </script or <!-- and keep the JavaScript meaning', () => {
    const src = 'globalThis.__t = ["</script>", "</SCRIPT >", "<!-- x -->", /<\\/script/.source];\n//# sourceMappingURL=x.js.map';
    const safe = scriptSafe(src);
    expect(safe).not.toMatch(/<\/script/i);
    expect(safe).not.toContain('<!--');
    expect(safe).not.toContain('sourceMappingURL');
    new Function(safe)();
    expect((globalThis as { __t?: string[] }).__t).toEqual(['</script>', '</SCRIPT >', '<!-- x -->', '<\\/script']);
  });

  it('JSON for a script element parses back to the same value', () => {
    const v = { label: 'odd </script><!-- "name"', sep: '\u2028\u2029', n: [1, 2.5] };
    const text = jsonForScript(v);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(v);
  });
});

describe('writeReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-report-'));
  const input = handmadeReport();

  it('writes report.html, report.md and each chart as vl.json, svg and png', async () => {
    await writeReport(dir, input);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(
      ['busy-nodes-by-policy.png', 'busy-nodes-by-policy.svg', 'busy-nodes-by-policy.vl.json', 'pending-over-time.png', 'pending-over-time.svg', 'pending-over-time.vl.json', 'report.html', 'report.md'].sort(),
    );
  });

  it('report.html is self-contained: the three libraries inline, no external reference', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const s = scripts(html);
    // vega, vega-lite, vega-embed, the specs, the embed call; nothing loaded by src.
    expect(s).toHaveLength(5);
    expect(s.every((x) => !/\bsrc\s*=/.test(x.attrs))).toBe(true);
    expect(s[0].text).toContain(`vega ${versionOf('vega')}`);
    expect(s[1].text).toContain(`vega-lite ${versionOf('vega-lite')}`);
    expect(s[2].text).toContain(`vega-embed ${versionOf('vega-embed')}`);
    for (const lib of ['vega/build/vega.min.js', 'vega-lite/build/vega-lite.min.js', 'vega-embed/build/vega-embed.min.js']) {
      const size = readFileSync(join(MODULES, lib), 'utf8').length;
      expect(s.some((x) => x.text.length >= size * 0.99)).toBe(true);
    }
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).toContain("default-src 'none'");
  });

  it('report.html inlines each spec with its data, themed as NAME.vl.json', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const json = scripts(html).find((x) => x.attrs.includes('schedlab-specs'))!;
    const specs = JSON.parse(json.text) as Array<Record<string, unknown>>;
    expect(specs).toHaveLength(2);
    for (const [i, c] of input.charts.entries()) {
      expect(specs[i]).toEqual(JSON.parse(readFileSync(join(dir, `${c.name}.vl.json`), 'utf8')));
      // A fresh copy: vega tags the data objects it renders (a Symbol key on each row).
      expect(specs[i].data).toEqual(handmadeCharts()[i].spec.data);
      expect(specs[i].encoding).toEqual(c.spec.encoding);
      expect(html).toContain(`id="chart-${i}" data-chart="${c.name}"`);
    }
  });

  it('report.html shows the summary table as an HTML table, text escaped', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const table = /<table>([\s\S]*?)<\/table>/.exec(html)![1];
    const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]));
    expect(rows[0]).toEqual(['', 'first-fit', 'best-fit']);
    expect(rows).toContainEqual(['cost per year', '$336,384.00', '$301,000.00']);
    expect(rows).toContainEqual(['a &lt;b&gt;markup&lt;/b&gt; | pipe', 'n/a', 'n/a']);
    expect(rows).toHaveLength(input.tables[0].rows.length + 1);
    expect(html).toContain('<td class="num">41.5%</td>');
    expect(html).toContain('Mean busy nodes of each policy, &lt;nodes&gt;.');
    expect(html).toContain('<li>synthetic workload: an assumption &lt;stated&gt;</li>');
  });

  it('report.md links each PNG and holds the tables in Markdown', () => {
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('![Busy nodes by policy](busy-nodes-by-policy.png)');
    expect(md).toContain('![Pending tasks over time](pending-over-time.png)');
    expect(md).toContain('*Mean busy nodes of each policy, \\<nodes\\>.*');
    const lines = md.split('\n');
    const head = lines.indexOf('|  | first-fit | best-fit |');
    expect(head).toBeGreaterThan(0);
    expect(lines[head + 1]).toBe('| --- | ---: | ---: |');
    expect(lines).toContain('| cost per year | $336,384.00 | $301,000.00 |');
    expect(lines).toContain('| \u00a0\u00a0Insufficient cpu | 12 | 3 |');
    expect(lines).toContain('| a \\<b\\>markup\\</b\\> \\| pipe | n/a | n/a |');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a text column of a Markdown table stays left-aligned', () => {
    const md = reportMarkdown({ title: 't', charts: [], tables: [{ title: 'x', header: ['', 'a'], rows: [['r', 'kube-default']] }] });
    expect(md).toContain('| --- | --- |');
  });
});
