import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * `timing.json` in a results folder: how long the run took and on what machine. Wall-clock
 * figures change from run to run, so they live here and nowhere else: the result files beside it
 * (run.json, summary.json, the CSVs) are byte-identical for equal seeds and inputs, and
 * `diff -r` of two runs shows only this file.
 */
export const TIMING_FILE = 'timing.json';

export interface HostInfo {
  cpus: number;
  cpuModel: string | null;
  memoryGiB: number;
  os: string;
  arch: string;
  node: string;
}

export function hostInfo(): HostInfo {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model.trim() ?? null,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    arch: arch(),
    node: process.version,
  };
}

/** Writes timing.json into `dir`: the command, when it finished, its measurements, the host. */
export function writeTimingFile(dir: string, command: string, measurements: Record<string, unknown>): void {
  const record = { command, finishedAt: new Date().toISOString(), ...measurements, host: hostInfo() };
  writeFileSync(join(dir, TIMING_FILE), JSON.stringify(record, null, 2) + '\n');
}
