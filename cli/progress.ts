/**
 * Progress on stderr for long runs: shown when stderr is a terminal (one line, rewritten in
 * place, cleared when done) or when SCHEDLAB_PROGRESS=1 asks for it anyway (one line per update,
 * for logs and scripts); never with --quiet. At most a few updates a second.
 */
export function forcedProgress(): boolean {
  return process.env.SCHEDLAB_PROGRESS === '1';
}

/** Whether progress goes to stderr: a terminal or SCHEDLAB_PROGRESS=1, and not --quiet. */
export function progressWanted(quiet: boolean): boolean {
  return !quiet && (process.stderr.isTTY === true || forcedProgress());
}

/** Writes one progress update: rewritten in place on a terminal (rest of the line cleared), a full line otherwise. */
export function writeProgress(text: string): void {
  process.stderr.write(process.stderr.isTTY === true ? `\r${text}\x1b[K` : `${text}\n`);
}

/** Clears a progress line left on a terminal (nothing to clear in a log). */
export function clearProgress(): void {
  if (process.stderr.isTTY === true) process.stderr.write('\r\x1b[K');
}

export function progressReporter(label: string, quiet: boolean): { update: (now: number, horizon: number, submitted: number) => void; done: () => void } {
  const enabled = progressWanted(quiet);
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
      writeProgress(`${label}: ${pct}simulated ${(now / 3.6e9).toFixed(2)} h, ${submitted.toLocaleString('en-US')} tasks submitted`);
    },
    done() {
      if (shown) clearProgress();
    },
  };
}
