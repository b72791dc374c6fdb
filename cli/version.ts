import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../harness/package-root.js';

export function schedlabVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
