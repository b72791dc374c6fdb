import type { ChartSpec } from '../../reports/charts/chart-spec.js';
import type { ReportInput } from '../../reports/report/report-input.js';

/**
 * A report built by hand for the report tests (not by the chart builders): a bar chart whose
 * labels include text that must survive inlining (`</script>`, `<!--`, quotes), a line chart, and
 * a summary table with a sub-row and a cell that looks like markup.
 */
export function handmadeCharts(): ChartSpec[] {
  return [
    {
      name: 'busy-nodes-by-policy',
      title: 'Busy nodes by policy',
      caption: 'Mean busy nodes of each policy, <nodes>.',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 300,
        height: 200,
        data: { values: [{ policy: 'first-fit', nodes: 41 }, { policy: 'best-fit', nodes: 38 }, { policy: 'odd </script><!-- "name"', nodes: 12 }] },
        mark: 'bar',
        encoding: {
          x: { field: 'policy', type: 'nominal', title: 'policy' },
          y: { field: 'nodes', type: 'quantitative', title: 'busy nodes (count)' },
        },
      },
    },
    {
      name: 'pending-over-time',
      title: 'Pending tasks over time',
      caption: 'Tasks waiting for a node, sampled every 300 s.',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 300,
        height: 200,
        data: { values: [0, 300, 600, 900].flatMap((t, i) => [{ time_h: t / 3600, pending: i * 3, policy: 'a' }, { time_h: t / 3600, pending: 10 - i, policy: 'b' }]) },
        mark: 'line',
        encoding: {
          x: { field: 'time_h', type: 'quantitative', title: 'time (h)' },
          y: { field: 'pending', type: 'quantitative', title: 'pending tasks (count)' },
          color: { field: 'policy', type: 'nominal' },
        },
      },
    },
  ];
}

export function handmadeReport(): ReportInput {
  return {
    title: 'schedlab compare — synthetic, seed 7',
    lines: ['window 24.00 h, 100 machines at the start'],
    charts: handmadeCharts(),
    tables: [
      {
        title: 'Summary',
        header: ['', 'first-fit', 'best-fit'],
        rows: [
          ['tasks submitted', '20,000', '20,000'],
          ['tasks pending at end', '12', '3'],
          ['  Insufficient cpu', '12', '3'],
          ['cpu used (mean)', '41.5%', '44.0%'],
          ['cost per year', '$336,384.00', '$301,000.00'],
          ['a <b>markup</b> | pipe', 'n/a', 'n/a'],
        ],
      },
    ],
    notes: ['synthetic workload: an assumption <stated>'],
  };
}
