import type { ChartSpec } from './chart-spec.js';
import type { LoadedRun } from '../loaded-run.js';
import { UsageError } from '../../model/errors.js';
import { uniqueLabels } from './vega-lite-base.js';
import { busyNodesChart, pendingTasksChart, utilizationChart } from './timeseries-charts.js';
import { delayCdfChart } from './delay-cdf-chart.js';
import { evictionsChart, KILLING_CAUSES } from './dynamics-events-chart.js';
import { costChart, savingsChart } from './cost-charts.js';
import { availabilityChart } from './availability-chart.js';
import { hasReactionEvents, reactionEventsChart } from './reaction-events-chart.js';

/**
 * The figure set of one or more replays (a compare, or a single replay), runs in the order given
 * (the first is the savings baseline), each labelled by its policy and settings: utilization over
 * time, pending tasks, the scheduling-delay CDF, busy nodes, availability (when a run has
 * availability.csv rows), evictions and OOM kills (when a run with node dynamics had any), the
 * cluster's reactions (when a run had preemption victims, taint evictions, autoscaling or
 * admission refusals), cost per year and (two or more runs) savings.
 */
export function chartsForRuns(runs: readonly LoadedRun[]): ChartSpec[] {
  if (runs.length === 0) throw new UsageError('charts: no results folder given');
  const labels = uniqueLabels(runs);
  const labelled = runs.map((r, i) => ({ ...r, label: labels[i] }));
  const charts = [utilizationChart(labelled), pendingTasksChart(labelled), delayCdfChart(labelled), busyNodesChart(labelled)];
  const start = Math.min(...labelled.map((r) => r.record.summary.windowStartHours));
  const end = Math.max(...labelled.map((r) => r.record.summary.windowStartHours + r.record.summary.windowHours));
  if (labelled.some((r) => (r.availability?.length ?? 0) > 0)) charts.push(availabilityChart(labelled, end - start, start));
  // Only when some run had node dynamics and at least one attempt ended by them (an empty figure says nothing).
  const killing = (r: LoadedRun): boolean => {
    const e = r.events;
    if (e === null) return false;
    for (let i = 0; i < e.length; i++) if ((KILLING_CAUSES as readonly string[]).includes(e.cause[i]!)) return true;
    return false;
  };
  // events.csv also holds the reactions' rows; a run without node dynamics is one the evictions chart names as such.
  const dynamicsEvents = labelled.map((r) => ({ ...r, events: r.record.summary.dynamics !== undefined ? r.events : null }));
  if (dynamicsEvents.some(killing)) charts.push(evictionsChart(dynamicsEvents, end - start, start));
  const reactionEvents = labelled.map((r) => ({ label: r.label, events: r.events, reactions: r.record.summary.reactions !== undefined }));
  if (reactionEvents.some((r) => r.reactions && hasReactionEvents(r.events))) charts.push(reactionEventsChart(reactionEvents, end - start, start));
  charts.push(costChart(labelled));
  if (labelled.length >= 2) charts.push(savingsChart(labelled));
  return charts;
}

/**
 * The charts named in `names` (e.g. from a --charts option), in the order given; an unknown name
 * is a UsageError listing the charts there are.
 */
export function selectCharts(charts: readonly ChartSpec[], names: readonly string[], option = '--charts'): ChartSpec[] {
  return names.map((n) => {
    const c = charts.find((x) => x.name === n);
    if (!c) throw new UsageError(`${option}: unknown chart '${n}' (expected one of: ${charts.map((x) => x.name).join(', ')})`);
    return c;
  });
}
