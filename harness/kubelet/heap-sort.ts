/**
 * In-place heap sort of positions: O(n log n) worst case, no allocation (the kubelet modules sort
 * per node on every housekeeping pass). Not stable: `before` must be a strict total order (break
 * ties by position). Sorts `a[0..n)` so that `before(a[i], a[i+1])`.
 */
export function heapSort(a: Int32Array, n: number, before: (x: number, y: number) => boolean): void {
  // Max-heap on "comes later", so the root is the last element in order.
  const sift = (start: number, end: number) => {
    let root = start;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= end) return;
      if (child + 1 < end && before(a[child], a[child + 1])) child++;
      if (!before(a[root], a[child])) return;
      const t = a[root];
      a[root] = a[child];
      a[child] = t;
      root = child;
    }
  };
  for (let i = (n >> 1) - 1; i >= 0; i--) sift(i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift(0, end);
  }
}
