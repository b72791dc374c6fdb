import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runSpec, type ReplaySpec } from '../replay-spec.js';
import type { RunSummary } from '../../reports/summary.js';
import { UsageError } from '../../model/errors.js';

export interface CellOutcome {
  summary: RunSummary;
  wallSeconds: number;
}

/** A thread's first message: its modules are loaded (sweep-worker.ts). */
export const THREAD_READY = 'ready';

interface WorkerAnswer {
  id: number;
  summary?: RunSummary;
  wallSeconds?: number;
  error?: { message: string; name: string; usage: boolean };
}

interface Slot {
  worker: Worker;
  /** Settles when the thread has loaded the replay's modules (its first message) or has died. */
  loaded: Promise<void>;
  ready: boolean;
  /** The cell this thread is running, settled by its answer (or by the thread's death). */
  running?: { id: number; resolve: (o: CellOutcome) => void; reject: (e: Error) => void };
  dead: boolean;
}

/**
 * "Run one cell": the single code path by which a sweep replays a cell, whether the cells come from
 * a local sweep (runOnPool below), a queue worker (harness/sweep/distributed/queue-worker.ts) or a
 * Kubernetes pod (`--cell-index`). Up to `size` cells run at once, each on its own long-lived worker
 * thread (harness/sweep/sweep-worker.ts: modules load once per thread, not once per cell), so the
 * calling thread stays free — a queue worker's lock renewals keep ticking while a cell computes.
 * Running from TypeScript sources (tests), where a worker would need a TS loader, cells run one at a
 * time in this thread instead (`mode` 'in-process'). A thread that dies (a crash, out of memory)
 * fails its cell and is replaced for the next one.
 */
export class CellRunner {
  readonly mode: 'workers' | 'in-process';
  private readonly workerFile: string;
  private readonly slots: Slot[] = [];
  private readonly size: number;
  private readonly waiting: Array<(s: Slot) => void> = [];
  private nextId = 0;
  private closed = false;
  /** In-process mode: the tail of the one-at-a-time chain. */
  private serial: Promise<unknown> = Promise.resolve();

  /** `workerFile`: the thread's script (tests give another); by default sweep-worker.js beside this file. */
  constructor(size: number, workerFile?: string) {
    this.size = Math.max(1, Math.floor(size));
    this.workerFile = workerFile ?? fileURLToPath(new URL('./sweep-worker.js', import.meta.url));
    this.mode = existsSync(this.workerFile) ? 'workers' : 'in-process';
  }

  /** Replays one cell. A user error (bad input) rejects with a UsageError or an error named InputError, as runSpec throws them. */
  run(spec: ReplaySpec): Promise<CellOutcome> {
    if (this.closed) return Promise.reject(new Error('the cell runner is closed'));
    if (this.mode === 'in-process') {
      const result = this.serial.then(async () => {
        const { summary, wallSeconds } = await runSpec(spec);
        return { summary, wallSeconds };
      });
      this.serial = result.catch(() => undefined);
      return result;
    }
    return this.acquire().then(
      (slot) =>
        new Promise<CellOutcome>((resolve, reject) => {
          const id = this.nextId++;
          slot.running = { id, resolve, reject };
          slot.worker.postMessage({ id, spec });
        }),
    );
  }

  /**
   * Starts all `size` threads now and resolves once each has loaded the replay's modules, so the
   * first cells do not wait for that (a queue worker calls this before it takes cells). Rejects if
   * a thread dies while loading. In-process mode there is nothing to start.
   */
  async start(): Promise<void> {
    if (this.mode === 'in-process') return;
    while (this.slots.length < this.size) this.spawn();
    await Promise.all(this.slots.map((s) => s.loaded));
  }

  /** Threads alive that have loaded their modules. */
  readyThreads(): number {
    return this.slots.filter((s) => s.ready && !s.dead).length;
  }

  /** Stops every thread (a running cell is abandoned). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** A free thread: an idle one, a new one while fewer than `size` are alive, else the next to finish. */
  private acquire(): Promise<Slot> {
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i].dead) this.slots.splice(i, 1);
    const idle = this.slots.find((s) => s.running === undefined && !s.dead);
    if (idle) {
      // Reserved at once, so two callers never get the same thread.
      idle.running = { id: -1, resolve: () => undefined, reject: () => undefined };
      return Promise.resolve(idle);
    }
    if (this.slots.length < this.size) {
      const slot = this.spawn();
      slot.running = { id: -1, resolve: () => undefined, reject: () => undefined };
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.running = undefined;
    const next = this.waiting.shift();
    if (next === undefined) return;
    if (slot.dead) {
      const fresh = this.spawn();
      fresh.running = { id: -1, resolve: () => undefined, reject: () => undefined };
      next(fresh);
      return;
    }
    slot.running = { id: -1, resolve: () => undefined, reject: () => undefined };
    next(slot);
  }

  private spawn(): Slot {
    let loaded: () => void = () => undefined;
    let failedToLoad: (e: Error) => void = () => undefined;
    const slot: Slot = { worker: new Worker(this.workerFile), dead: false, ready: false, loaded: new Promise<void>((res, rej) => ((loaded = res), (failedToLoad = rej))) };
    // Nobody may wait for it (a lazily spawned thread): its failure is its cell's, below.
    slot.loaded.catch(() => undefined);
    this.slots.push(slot);
    slot.worker.on('message', (m: WorkerAnswer | typeof THREAD_READY) => {
      if (m === THREAD_READY) {
        slot.ready = true;
        return loaded();
      }
      const r = slot.running;
      if (r === undefined || r.id !== m.id) return;
      if (m.error) {
        const err = m.error.usage ? new UsageError(m.error.message) : new Error(m.error.message);
        if (!m.error.usage) err.name = m.error.name;
        r.reject(err);
      } else {
        r.resolve({ summary: m.summary!, wallSeconds: m.wallSeconds! });
      }
      this.release(slot);
    });
    const die = (e: Error) => {
      if (slot.dead) return;
      slot.dead = true;
      failedToLoad(e);
      const r = slot.running;
      if (r !== undefined) r.reject(e);
      if (!this.closed) this.release(slot);
    };
    slot.worker.on('error', die);
    slot.worker.on('exit', (code) => die(new Error(`sweep worker thread exited with code ${code}`)));
    return slot;
  }
}

/**
 * Runs replay specs on `threads` worker threads (CellRunner), each taking the next spec when it
 * finishes one, and calls `onDone` as each finishes (in completion order; `i` says which). The
 * first failure stops the pool (no new spec is started, the threads are terminated) and is thrown,
 * a user error with its cell named (`label`); specs already done stay done.
 */
export async function runOnPool(
  specs: readonly ReplaySpec[],
  threads: number,
  onDone: (i: number, outcome: CellOutcome) => void,
  label: (i: number) => string = (i) => `cell ${i}`,
): Promise<'workers' | 'in-process'> {
  const size = Math.max(1, Math.min(threads, specs.length));
  const runner = new CellRunner(size);
  let next = 0;
  let failure: Error | undefined;
  try {
    await Promise.all(
      Array.from({ length: size }, async () => {
        while (failure === undefined && next < specs.length) {
          const i = next++;
          let outcome: CellOutcome;
          try {
            outcome = await runner.run(specs[i]);
          } catch (e) {
            failure ??= isUserError(e as Error) ? withCell(e as Error, label(i)) : (e as Error);
            return;
          }
          if (failure !== undefined) return;
          try {
            onDone(i, outcome);
          } catch (e) {
            failure ??= e as Error;
            return;
          }
        }
      }),
    );
  } finally {
    await runner.close();
  }
  if (failure !== undefined) throw failure;
  return runner.mode;
}

/** A mistake in the cell's input (UsageError, a reader's InputError), as opposed to a bug. */
export function isUserError(e: Error): boolean {
  return e instanceof UsageError || e.name === 'InputError';
}

/** A user error of one cell, with the cell named first (the rest of the sweep is fine). */
function withCell(e: Error, cell: string): Error {
  const out = e instanceof UsageError ? new UsageError(`${cell}: ${e.message}`) : new Error(`${cell}: ${e.message}`);
  out.name = e.name;
  return out;
}
