/**
 * In-place sort of `tasks[0..n)` by a strict order `before(a, b)` (a goes first), without
 * allocating: insertion sort for the few pods of a typical node, heapsort (O(n log n)) beyond.
 * `before` must be a total order (break ties by task number) so results are reproducible.
 */
export function sortTasks(tasks: Int32Array, n: number, before: (a: number, b: number) => boolean): void {
  if (n <= 24) {
    for (let i = 1; i < n; i++) {
      const x = tasks[i];
      let j = i - 1;
      while (j >= 0 && before(x, tasks[j])) {
        tasks[j + 1] = tasks[j];
        j--;
      }
      tasks[j + 1] = x;
    }
    return;
  }
  // Heapsort with a max-heap under "comes later", so the root is the element that goes last.
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(tasks, i, n, before);
  for (let end = n - 1; end > 0; end--) {
    const x = tasks[0];
    tasks[0] = tasks[end];
    tasks[end] = x;
    siftDown(tasks, 0, end, before);
  }
}

function siftDown(a: Int32Array, i: number, n: number, before: (a: number, b: number) => boolean): void {
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    let m = l;
    const r = l + 1;
    if (r < n && before(a[l], a[r])) m = r;
    if (!before(a[i], a[m])) return;
    const x = a[i];
    a[i] = a[m];
    a[m] = x;
    i = m;
  }
}
