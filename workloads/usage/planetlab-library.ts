import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { InputError } from '../../model/errors.js';
import type { ResourceSchema } from '../../model/resources.js';
import type { UsageSeriesSet } from '../../model/usage-series.js';
import { parsePercentFile } from './percent-lines.js';
import { librarySeriesSet, type NamedSeries } from './library-series-set.js';

/** Where the PlanetLab archive sits under a usage-library folder (layout of ../shared/data/usage). */
export const PLANETLAB_ARCHIVE = path.join('planetlab', 'planetlab.tar.gz');
export const PLANETLAB_POINTS = 288;

/**
 * The PlanetLab VM CPU library (CloudSim's workload/planetlab; Beloglazov & Buyya, CCPE 2012):
 * a gzip-compressed ustar archive of members `<date>/<vm>` (names may contain spaces), each 288
 * lines of one integer CPU utilization percentage (0–99 in the data; 100 accepted), one VM over
 * one day at 5 minutes. Read as a cyclic CPU-only set (memory and other dimensions NaN), values =
 * % / 100, one series per member, sorted by member name. Errors name `planetlab.tar.gz:<member>`.
 */
export async function readPlanetLabLibrary(dir: string, resources: ResourceSchema): Promise<UsageSeriesSet> {
  const archive = path.join(dir, PLANETLAB_ARCHIVE);
  try {
    await access(archive);
  } catch {
    throw new InputError({ file: archive, pathAsGiven: true, problem: 'expected the PlanetLab usage archive (a .tar.gz of <date>/<vm> files), found none' });
  }
  const label = path.basename(archive);
  const extract = tar.extract();
  let streamError: Error | undefined;
  pipeline(createReadStream(archive), createGunzip(), extract, (err) => {
    if (err) streamError = err;
  });
  const series: NamedSeries[] = [];
  try {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') continue;
      const member = entry.header.name;
      const [cpu] = parsePercentFile(Buffer.concat(chunks).toString('utf8'), {
        file: `${label}:${member}`,
        fileAsGiven: true,
        fields: [{ name: 'CPU %', integer: true, max: 100 }],
        expectedLines: PLANETLAB_POINTS,
      });
      series.push({ name: member, byResource: { cpu } });
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ file: archive, pathAsGiven: true, problem: `expected a gzip-compressed tar archive: ${oneLine(e)}` });
  }
  if (streamError) throw new InputError({ file: archive, pathAsGiven: true, problem: `expected a gzip-compressed tar archive: ${oneLine(streamError)}` });
  if (series.length === 0) throw new InputError({ file: archive, pathAsGiven: true, problem: 'expected <date>/<vm> members, found none' });
  return librarySeriesSet('library:planetlab', series, resources);
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
}
