/**
 * `affix screenshots list [connection_id]` and `affix screenshots export <connection_id> <screenshot_id> <file>`:
 * the operator's only way to the error screenshots of web logins (sealed on disk, kept SCREENSHOT_RETENTION; the
 * API never serves them). Export writes the decrypted PNG with mode 0600.
 */
import fs from 'node:fs/promises';
import type { Services } from '../services.js';
import { readScreenshot, screenshotEntries } from '../sync/screenshots.js';

type Out = (line: string) => void;
const SAFE_ID = /^[A-Za-z0-9_-]+$/;

export async function screenshotsCommand(
  services: Services,
  args: readonly string[],
  out: Out,
  err: Out,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const [connectionId] = rest;
    if (connectionId !== undefined && !SAFE_ID.test(connectionId)) {
      err(`not a connection id: ${connectionId}`);
      return 2;
    }
    const entries = await screenshotEntries(services, connectionId);
    if (entries.length === 0) {
      out('no screenshots');
      return 0;
    }
    out(
      'taken_at                  connection_id                  screenshot_id                         bytes',
    );
    for (const e of entries) {
      out(`${e.takenAt.toISOString()}  ${e.connectionId.padEnd(30)} ${e.id}  ${e.bytes}`);
    }
    return 0;
  }
  if (sub === 'export') {
    const [connectionId, id, file] = rest;
    if (!connectionId || !id || !file || !SAFE_ID.test(connectionId)) {
      err('usage: affix screenshots export <connection_id> <screenshot_id> <file.png>');
      return 2;
    }
    const png = await readScreenshot(services, connectionId, id);
    if (!png) {
      err(
        `no screenshot ${id} for ${connectionId} (retention keeps them ${services.config.SCREENSHOT_RETENTION})`,
      );
      return 1;
    }
    await fs.writeFile(file, png, { mode: 0o600, flag: 'wx' });
    out(`wrote ${file} (${png.length} bytes)`);
    return 0;
  }
  err('usage: affix screenshots list [connection_id] | export <connection_id> <screenshot_id> <file.png>');
  return 2;
}
