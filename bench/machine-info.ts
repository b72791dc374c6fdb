import { cpus, totalmem, platform, release } from 'node:os';

/** One line describing the machine a benchmark ran on. */
export function machineInfo(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
}
