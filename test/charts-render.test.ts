import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PNG_SCALE, renderChart, themedSpec, writeCharts } from '../reports/charts/render.js';
import { OKABE_ITO, chartConfig } from '../reports/charts/palette.js';
import type { ChartSpec } from '../reports/charts/chart-spec.js';
import { UsageError } from '../model/errors.js';
import { darkPixels, decodePng, PNG_SIGNATURE } from './helpers/png.js';

/** A hand-built line chart: two policies, three points each, axis titles with units. */
function lineChart(title: string): ChartSpec {
  return {
    name: 'test-lines',
    title,
    caption: 'two lines',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      ...(title ? { title } : {}),
      width: 300,
      height: 150,
      data: { values: [
        { t: 0, v: 0.1, p: 'first-fit' }, { t: 1, v: 0.5, p: 'first-fit' }, { t: 2, v: 0.4, p: 'first-fit' },
        { t: 0, v: 0.2, p: 'best-fit' }, { t: 1, v: 0.3, p: 'best-fit' }, { t: 2, v: 0.9, p: 'best-fit' },
      ] },
      mark: 'line',
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time (h)' },
        y: { field: 'v', type: 'quantitative', title: 'CPU requested (fraction of allocatable)' },
        color: { field: 'p', type: 'nominal', title: 'policy' },
      },
      config: chartConfig(),
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'schedlab-charts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('renderChart', () => {
  it('writes an SVG holding the title, the axis titles with units and the legend, in the chart font and palette', async () => {
    const { svg } = await renderChart(lineChart('Requested CPU over time'));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Requested CPU over time');
    expect(svg).toContain('time (h)');
    expect(svg).toContain('CPU requested (fraction of allocatable)');
    expect(svg).toContain('best-fit');
    expect(svg).toContain('DejaVu Sans');
    // The two lines take the palette's first two colours (nominal domain sorted: best-fit, first-fit).
    expect(svg.toUpperCase()).toContain(`STROKE="${OKABE_ITO[0].toUpperCase()}"`);
    expect(svg.toUpperCase()).toContain(`STROKE="${OKABE_ITO[1].toUpperCase()}"`);
  });

  it('writes a PNG that decodes, at PNG_SCALE times the SVG size', async () => {
    const { svg, png } = await renderChart(lineChart('Requested CPU over time'));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const w = Number(/width="(\d+)"/.exec(svg)![1]);
    const h = Number(/height="(\d+)"/.exec(svg)![1]);
    const img = decodePng(png);
    expect(img.width).toBe(w * PNG_SCALE);
    expect(img.height).toBe(h * PNG_SCALE);
  });

  it('draws text: the title adds dark pixels above the plot, and more for a longer title', async () => {
    // Same chart with and without its title: without fonts resvg draws no text and the counts
    // would be equal. The band above the plot holds nothing but the title.
    const a = decodePng((await renderChart(lineChart('Requested CPU over time'))).png);
    const b = decodePng((await renderChart(lineChart(''))).png);
    const c = decodePng((await renderChart(lineChart('Requested CPU over time, by policy, on one hundred nodes'))).png);
    const band = 20 * PNG_SCALE;
    const withTitle = darkPixels(a, 0, band);
    const longer = darkPixels(c, 0, band);
    expect(darkPixels(b, 0, band)).toBe(0);
    expect(withTitle).toBeGreaterThan(300);
    expect(longer).toBeGreaterThan(withTitle * 1.5);
    // Axis labels and titles render too: the untitled chart still has text and lines in it.
    expect(darkPixels(b)).toBeGreaterThan(1000);
  });

  it('is deterministic: the same spec gives the same bytes', async () => {
    const x = await renderChart(lineChart('Requested CPU over time'));
    const y = await renderChart(lineChart('Requested CPU over time'));
    expect(y.svg).toBe(x.svg);
    expect(Buffer.from(y.png).equals(Buffer.from(x.png))).toBe(true);
  });

  it('names the chart when the spec is not Vega-Lite', async () => {
    const bad: ChartSpec = { name: 'broken', title: 'x', caption: 'x', spec: { mark: 'no-such-mark', data: { values: [] } } };
    await expect(renderChart(bad)).rejects.toThrow(/chart 'broken'/);
  });
});

describe('writeCharts', () => {
  it('writes NAME.vl.json, NAME.svg and NAME.png, nothing else, the spec with its theme', async () => {
    const dir = join(root, 'out');
    const c = lineChart('Requested CPU over time');
    await writeCharts(dir, [c, { ...lineChart('Other'), name: 'other-chart' }]);
    expect(readdirSync(dir).sort()).toEqual(['other-chart.png', 'other-chart.svg', 'other-chart.vl.json', 'test-lines.png', 'test-lines.svg', 'test-lines.vl.json']);
    const spec = JSON.parse(readFileSync(join(dir, 'test-lines.vl.json'), 'utf8'));
    expect(spec).toEqual(JSON.parse(JSON.stringify(themedSpec(c))));
    expect(spec.config.range.category).toEqual(OKABE_ITO);
    expect(readFileSync(join(dir, 'test-lines.svg'), 'utf8')).toBe((await renderChart(c)).svg);
    expect(decodePng(readFileSync(join(dir, 'test-lines.png'))).width).toBeGreaterThan(0);
  });

  it('refuses a name that is not a file stem, or a name given twice, before writing anything', async () => {
    const dir = join(root, 'refused');
    await expect(writeCharts(dir, [{ ...lineChart('x'), name: '../evil' }])).rejects.toThrow(UsageError);
    await expect(writeCharts(dir, [lineChart('x'), lineChart('y')])).rejects.toThrow(/appears twice/);
    expect(() => readdirSync(dir)).toThrow();
  });
});
