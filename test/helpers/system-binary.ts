import { accessSync, constants } from 'node:fs';

/**
 * A system program a test needs (Chromium, Python): its path when it is there and executable,
 * else null, and the test skips with `reason` printed. In CI (.ci/run sets
 * SCHEDLAB_REQUIRE_SYSTEM=1 after installing the packages) a missing program is an error instead:
 * the test file fails rather than skipping silently.
 */
export function systemBinary(path: string, reason: string): string | null {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    if (process.env.SCHEDLAB_REQUIRE_SYSTEM === '1') {
      throw new Error(`${path} is missing or not executable, and SCHEDLAB_REQUIRE_SYSTEM=1 requires it (${reason})`);
    }
    console.warn(`skipped: ${path} is missing (${reason}); install it to run these tests`);
    return null;
  }
}
