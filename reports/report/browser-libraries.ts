import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The browser builds of vega, vega-lite and vega-embed, read from node_modules, in load order
 * (vega-embed's UMD build finds the other two as the globals `vega` and `vegaLite`). The HTML
 * report inlines them, so it opens offline and asks no network for anything.
 */
export interface BrowserLibrary {
  readonly name: string;
  readonly version: string;
  readonly source: string;
}

const BUILDS = [
  { name: 'vega', file: 'vega.min.js' },
  { name: 'vega-lite', file: 'vega-lite.min.js' },
  { name: 'vega-embed', file: 'vega-embed.min.js' },
] as const;

let cached: BrowserLibrary[] | undefined;

export function browserLibraries(): BrowserLibrary[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  cached = BUILDS.map(({ name, file }) => {
    // Each package's entry point sits in its build/ folder, beside the minified browser build.
    const build = dirname(require.resolve(name));
    const source = readFileSync(join(build, file), 'utf8');
    const pkg = JSON.parse(readFileSync(join(build, '..', 'package.json'), 'utf8')) as { version: string };
    return { name, version: pkg.version, source };
  });
  return cached;
}

/**
 * Text made safe inside an inline <script> element: `</script` would end the element and `<!--`
 * opens the HTML parser's escaped state (WHATWG HTML § 4.12.1.3, "Restrictions for contents of
 * script elements"). In JavaScript source both only occur inside string, regular-expression or
 * template literals, where `<\/` and `<\!` mean the same characters. Source-map comments are
 * dropped: the maps are not inlined, and a browser's developer tools would try to fetch them.
 */
export function scriptSafe(source: string): string {
  return source
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--')
    .replace(/^\/\/# sourceMappingURL=.*$/gm, '');
}
