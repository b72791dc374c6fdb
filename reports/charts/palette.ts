/**
 * The categorical colours of every schedlab chart: the Okabe–Ito palette, distinguishable under the
 * common forms of colour-vision deficiency (protanopia, deuteranopia, tritanopia).
 *
 * Source: M. Okabe and K. Ito, "Color Universal Design (CUD): How to make figures and
 * presentations that are friendly to colorblind people" (2002/2008), https://jfly.uni-koeln.de/color/ ;
 * the same eight colours are ggplot2's / matplotlib's "Okabe-Ito" scheme. Order: blue and orange
 * first (the most distinct pair, and both readable on white); yellow late (low contrast on white);
 * black last.
 */
export const OKABE_ITO: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#56B4E9', // sky blue
  '#CC79A7', // reddish purple
  '#F0E442', // yellow
  '#000000', // black
];

/** The one font family charts are drawn in; render.ts hands resvg exactly these TrueType files. */
export const CHART_FONT = 'DejaVu Sans';

/**
 * The Vega-Lite `config` every builder puts into its spec (so the HTML report, which embeds the
 * specs, looks the same as the PNG): palette for nominal colour scales, the chart font everywhere,
 * a white background (PNGs are pasted into papers).
 */
export function chartConfig(): Record<string, unknown> {
  return {
    font: CHART_FONT,
    background: 'white',
    range: { category: [...OKABE_ITO] },
    axis: { labelFont: CHART_FONT, titleFont: CHART_FONT },
    legend: { labelFont: CHART_FONT, titleFont: CHART_FONT, labelLimit: 320 },
    title: { font: CHART_FONT, subtitleFont: CHART_FONT },
    header: { labelFont: CHART_FONT, titleFont: CHART_FONT },
  };
}
