import type { TaskColumns } from './task-columns.js';

/**
 * The largest total request of concurrently present tasks per dimension, if every task ran from its
 * submit time for its duration (NaN duration = to the end; a killTime cuts it). Used to size a
 * default machine pool for formats without machines (Azure): it is the recorded demand, so the
 * pool is just large enough to hold the trace as it ran. Missing requests count as 0 here.
 */
export function peakDemand(cols: TaskColumns): number[] {
  const D = cols.dims;
  const n = cols.length;
  const peaks = new Array<number>(D).fill(0);
  const times = new Float64Array(2 * n);
  const ids = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const s = cols.submit[i];
    let e = s + cols.duration[i];
    if (e !== e) e = Infinity;
    const k = cols.killTime[i];
    if (k === k && k < e) e = k;
    times[2 * i] = s;
    ids[2 * i] = i + 1;
    times[2 * i + 1] = e;
    ids[2 * i + 1] = -(i + 1);
  }
  const order = new Uint32Array(2 * n);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Ends before starts at the same instant: a VM deleted at t frees room for one created at t.
  order.sort((a, b) => times[a] - times[b] || ids[a] - ids[b]);
  const cur = new Float64Array(D);
  for (const o of order) {
    const id = ids[o];
    const i = Math.abs(id) - 1;
    const sign = id > 0 ? 1 : -1;
    for (let d = 0; d < D; d++) {
      const r = cols.request[i * D + d];
      if (r === r) cur[d] += sign * r;
      if (cur[d] > peaks[d]) peaks[d] = cur[d];
    }
  }
  return peaks;
}
