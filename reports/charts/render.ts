import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './chart-spec.js';
import { CHART_FONT, chartConfig } from './palette.js';
import { UsageError } from '../../model/errors.js';
import { abandonOutput, beginOutput, commitOutput } from '../../model/atomic-output.js';

/**
 * Headless rendering of a ChartSpec: Vega-Lite → Vega (vega-lite `compile`) → a vega View with
 * renderer 'none' → `toSVG()`; the SVG → PNG with resvg. resvg is given the DejaVu TrueType files
 * explicitly and no system fonts (`loadSystemFonts: false`): with system fonts the picture would
 * depend on the machine, and on a machine without them resvg silently draws no text at all. The
 * spec's font is forced to the same family, so vega measures and resvg draws one font. Same spec →
 * same SVG and PNG bytes (nothing random, no timestamps, no system fonts).
 */
const require = createRequire(import.meta.url);
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${f}`),
);

/**
 * vega, vega-lite and resvg load on the first chart, not with the module: they take most of a
 * second to load, and every `schedlab` command would pay it at start-up.
 */
let libraries: Promise<{ vega: typeof Vega; compile: typeof import('vega-lite').compile; Resvg: typeof import('@resvg/resvg-js').Resvg }> | undefined;
function chartLibraries() {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(([vega, vl, resvg]) => ({ vega, compile: vl.compile, Resvg: resvg.Resvg }));
  return libraries;
}

/** PNG pixels per SVG pixel: 2 gives print-quality figures (a 600-px-wide chart is 1,200 px). */
export const PNG_SCALE = 2;

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

/** The spec with schedlab's config under the builder's own (the font always schedlab's). */
function withTheme(spec: Record<string, unknown>): Record<string, unknown> {
  const own = (spec.config ?? {}) as Record<string, unknown>;
  return { ...spec, config: { ...chartConfig(), ...own, font: CHART_FONT } };
}

export async function renderSvg(c: ChartSpec): Promise<string> {
  const { vega, compile } = await chartLibraries();
  let vgSpec: Vega.Spec;
  try {
    // Vega-Lite's warnings (e.g. a channel it would rather see sorted) would clutter the CLI's output.
    vgSpec = compile(withTheme(c.spec) as unknown as TopLevelSpec, { logger: vega.logger(vega.Error) }).spec as Vega.Spec;
  } catch (e) {
    throw new UsageError(`chart '${c.name}': not a valid Vega-Lite spec: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await chartLibraries();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}

export async function renderChart(c: ChartSpec): Promise<RenderedChart> {
  const svg = await renderSvg(c);
  return { svg, png: await svgToPng(svg) };
}

/** A chart name is a file stem: lower-case letters, digits and dashes. */
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Writes NAME.vl.json (the spec, with the theme, as the HTML report embeds it), NAME.svg and
 * NAME.png for every chart into `dir`, each file through a hidden temporary renamed into place, so
 * a reader never sees half a file. Names must be file stems and unique.
 */
export async function writeCharts(dir: string, charts: readonly ChartSpec[]): Promise<void> {
  const seen = new Set<string>();
  for (const c of charts) {
    if (!NAME.test(c.name)) throw new UsageError(`chart name '${c.name}': expected lower-case letters, digits and dashes`);
    if (seen.has(c.name)) throw new UsageError(`chart name '${c.name}' appears twice`);
    seen.add(c.name);
  }
  for (const c of charts) {
    const { svg, png } = await renderChart(c);
    writeAtomically(join(dir, `${c.name}.vl.json`), JSON.stringify(themedSpec(c), null, 2) + '\n');
    writeAtomically(join(dir, `${c.name}.svg`), svg);
    writeAtomically(join(dir, `${c.name}.png`), png);
  }
}

function writeAtomically(target: string, data: string | Uint8Array): void {
  const tmp = beginOutput(target, 'file');
  try {
    writeFileSync(tmp, data);
    commitOutput(tmp, target);
  } catch (e) {
    abandonOutput(tmp);
    throw e;
  }
}

/** The spec exactly as rendered and as NAME.vl.json holds it: schedlab's theme under the builder's config. */
export function themedSpec(c: ChartSpec): Record<string, unknown> {
  return withTheme(c.spec);
}

/** The file names writeCharts produces (for the --out guard's list of schedlab's own files). */
export const CHART_FILE = /^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:vl\.json|svg|png)$/;
