import type { ReportInput, ReportTable } from './report-input.js';
import { browserLibraries, scriptSafe } from './browser-libraries.js';
import { escapeHtml, jsonForScript } from './html-escape.js';

/**
 * Nothing but what the page holds: no fetch, font, style sheet or image from anywhere else. The
 * page needs inline scripts (the libraries, the embed call), eval (vega compiles its expressions
 * with `Function`), inline styles (vega-embed adds a <style>) and data: images (PNG export).
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; }
.lines p { margin: 0.2rem 0; color: #444; }
figure { margin: 2rem 0; } figcaption { color: #444; font-size: 0.95rem; margin-top: 0.4rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; }
td.num { text-align: right; } thead th { border-bottom: 2px solid #888; }
.notes li { color: #444; font-size: 0.9rem; }
`;

/** A cell that reads as a number, a percentage or a price: aligned right. */
const NUMERIC = /^[-+]?\$?[\d,]+(\.\d+)?\s*(%|s|h|×)?$/;

/**
 * report.html: one self-contained page. vega, vega-lite and vega-embed are inlined (their browser
 * builds, made script-safe), each chart's Vega-Lite spec is inlined as JSON with its data, and
 * the summary tables are plain HTML tables, so the file opens from disk, offline, in any browser.
 * A chart whose spec has no title of its own gets its ChartSpec title as a heading.
 * Charts render as SVG; when all are drawn the body gets `data-charts="rendered"` (or "failed"),
 * which the browser test waits for.
 */
export function reportHtml(input: ReportInput): string {
  const libraries = browserLibraries();
  const figures = input.charts.map(
    (c, i) =>
      `<figure id="${escapeHtml(c.name)}">\n${c.spec.title === undefined ? `<h2>${escapeHtml(c.title)}</h2>\n` : ''}<div class="chart" id="chart-${i}" data-chart="${escapeHtml(c.name)}"></div>\n<figcaption>${escapeHtml(c.caption)}</figcaption>\n</figure>`,
  );
  const specs = input.charts.map((c) => c.spec);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="schedlab (${libraries.map((l) => `${l.name} ${l.version}`).join(', ')})">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(input.title)}</h1>`,
    input.lines?.length ? `<div class="lines">\n${input.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}\n</div>` : '',
    ...figures,
    ...input.tables.map(tableHtml),
    input.notes?.length ? `<h2>Notes</h2>\n<ul class="notes">\n${input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}\n</ul>` : '',
    ...libraries.map((l) => `<script>/* ${l.name} ${l.version} */\n${scriptSafe(l.source)}\n</script>`),
    `<script type="application/json" id="schedlab-specs">${jsonForScript(specs)}</script>`,
    `<script>\n${EMBED}\n</script>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** Draws every chart; actions off (their menu links to the online Vega editor). */
const EMBED = `(function () {
  var specs = JSON.parse(document.getElementById('schedlab-specs').textContent);
  Promise.all(specs.map(function (spec, i) {
    return vegaEmbed('#chart-' + i, spec, { actions: false, renderer: 'svg' });
  })).then(function () {
    document.body.setAttribute('data-charts', 'rendered');
  }, function (error) {
    document.body.setAttribute('data-charts', 'failed');
    console.error('schedlab report: a chart failed to render: ' + (error && error.message ? error.message : error));
  });
})();`;

function tableHtml(t: ReportTable): string {
  const head = `<thead><tr>${t.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = t.rows
    .map((r) => `<tr>${r.map((cell, c) => (c === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td${NUMERIC.test(cell.trim()) ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<h2>${escapeHtml(t.title)}</h2>\n<table>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}
