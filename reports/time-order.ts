/** Event indices by time, stable; the identity when the log is already in order (the usual case, checked in one pass). */
export function timeOrder(time: Float64Array, length: number): Int32Array {
  const order = new Int32Array(length);
  let sorted = true;
  for (let e = 0; e < length; e++) {
    order[e] = e;
    if (e > 0 && time[e] < time[e - 1]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => time[a] - time[b] || a - b);
  return order;
}
