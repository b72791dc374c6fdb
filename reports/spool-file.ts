import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { abandonOutput, beginOutput } from '../model/atomic-output.js';

/**
 * A hidden temporary file beside a results folder that a replay appends records to as it runs and
 * reads back when the folder is written (task-row-spool.ts, event-row-spool.ts). Created on the
 * first append and registered like every temporary output (model/atomic-output.ts): removed when
 * the run fails or is interrupted, and by `dispose`. Once `seal`ed it is read only.
 */
export class SpoolFile {
  private path?: string;
  private writeFd = -1;
  private readFd = -1;
  private isSealed = false;

  /** `target`: the results folder; the file is `${target}.${suffix}` while it is being written. */
  constructor(
    private readonly target: string,
    private readonly suffix: string,
  ) {}

  /** Something was appended (the file exists). */
  get created(): boolean {
    return this.path !== undefined;
  }

  get sealed(): boolean {
    return this.isSealed;
  }

  append(bytes: Uint8Array): void {
    if (this.isSealed) throw new Error(`spool ${this.suffix}: appended to after it was read`);
    if (this.path === undefined) {
      this.path = beginOutput(`${this.target}.${this.suffix}`, 'file');
      this.writeFd = openSync(this.path, 'w');
    }
    let off = 0;
    while (off < bytes.length) off += writeSync(this.writeFd, bytes, off, bytes.length - off);
  }

  /** Ends writing: from now on the file is read (`readAt`). */
  seal(): void {
    if (this.isSealed) return;
    this.isSealed = true;
    if (this.writeFd >= 0) closeSync(this.writeFd);
    this.writeFd = -1;
    if (this.path !== undefined) this.readFd = openSync(this.path, 'r');
  }

  /** Fills `bytes` from byte `pos` of a sealed file; returns how many it read (fewer only at the end). */
  readAt(bytes: Uint8Array, pos: number): number {
    if (this.readFd < 0) throw new Error(`spool ${this.suffix}: read before it was sealed, or after dispose`);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(this.readFd, bytes, got, bytes.length - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** Closes and removes the file. */
  dispose(): void {
    this.isSealed = true;
    if (this.writeFd >= 0) closeSync(this.writeFd);
    if (this.readFd >= 0) closeSync(this.readFd);
    this.writeFd = this.readFd = -1;
    if (this.path !== undefined) abandonOutput(this.path);
    this.path = undefined;
  }
}
