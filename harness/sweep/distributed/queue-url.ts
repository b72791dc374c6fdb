import type { RedisOptions } from 'ioredis';
import { UsageError } from '../../../model/errors.js';
import { redactSecret, urlSecrets } from './redact-secret.js';

/** The BullMQ queue every sweep and worker of one Redis database shares (another database number, `/N` in the URL, is another queue). */
export const CELL_QUEUE = 'schedlab-cells';

/** Where the cells' queue lives, parsed from `--queue`. */
export interface QueueTarget {
  /** The URL with its password hidden: the only form ever printed or stored. */
  shown: string;
  /** Connection options for ioredis (and so BullMQ): host, port, credentials, database, TLS. */
  connection: RedisOptions;
  /** Strings to hide in anything shown (the password as written and decoded). */
  secrets: string[];
  /** Hides this target's password in `text` (redact-secret.ts). */
  redact: (text: string) => string;
}

/**
 * Parses `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (the same over TLS, which
 * ioredis enables with `tls: {}`: the server's certificate is verified against Node's CA store, and
 * the host name is checked) — the scheme Redis and its clients document
 * (https://www.iana.org/assignments/uri-schemes/prov/redis). Anything else, a missing host, a port
 * out of range, a database that is not a number, a query string: UsageError naming `option`, with
 * the password already hidden.
 */
export function parseQueueUrl(url: string, option = '--queue'): QueueTarget {
  const secrets = urlSecrets(url);
  const redact = (text: string) => redactSecret(text, secrets);
  const shownInput = redact(url);
  const fail = (why: string): never => {
    throw new UsageError(`${option}: ${why}, got '${shownInput}' (expected redis://[:PASSWORD@]HOST[:PORT][/DB] or rediss://… for TLS)`);
  };
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return fail('not a URL');
  }
  const scheme = u.protocol.toLowerCase();
  if (scheme !== 'redis:' && scheme !== 'rediss:') fail(`unsupported scheme '${u.protocol.replace(/:$/, '')}'`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') fail('no host');
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port out of range`);
  const path = u.pathname.replace(/^\//, '');
  let db = 0;
  if (path !== '') {
    if (!/^\d{1,5}$/.test(path)) fail(`the path is the database number, a whole number`);
    db = Number(path);
  }
  if (u.search !== '' || u.hash !== '') fail('no query string or fragment is taken');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const connection: RedisOptions = { host, port, db };
  if (u.username !== '') connection.username = decode(u.username);
  if (u.password !== '') connection.password = decode(u.password);
  // Node's TLS client verifies the certificate chain and the host name by default.
  if (scheme === 'rediss:') connection.tls = {};
  const shown = redact(`${scheme}//${u.username !== '' || u.password !== '' ? `${u.username}${u.password !== '' ? ':***' : ''}@` : ''}${u.host}${db !== 0 ? `/${db}` : ''}`);
  return { shown, connection, secrets, redact };
}
