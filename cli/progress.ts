/**
 * Progress on stderr for long runs: only when stderr is a terminal (not piped) and not --quiet;
 * at most a few updates a second; the line is cleared when done.
 */
export function progressReporter(label: string, quiet: boolean): { update: (now: number, horizon: number, submitted: number) => void; done: () => void } {
  const enabled = !quiet && process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(now, horizon, submitted) {
      if (!enabled) return;
      const t = Date.now();
      if (t - last < 250) return;
      last = t;
      shown = true;
      const pct = Number.isFinite(horizon) && horizon > 0 ? `${Math.min(100, (100 * now) / horizon).toFixed(0)}% ` : '';
      process.stderr.write(`\r${label}: ${pct}simulated ${(now / 3.6e9).toFixed(2)} h, ${submitted.toLocaleString('en-US')} tasks submitted `);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
