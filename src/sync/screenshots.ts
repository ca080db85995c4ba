/**
 * Error screenshots (web-login providers take them when a page does not look as expected): sealed files under
 * `$DATA_DIR/screenshots/<connection id>/`, purpose `screenshot`, owner = the connection, so nothing readable is
 * ever on disk, disconnect deletes the folder and shreds the key, and the retention job deletes files after 5 days
 * (by mtime). The file name is sealed inside too: a file renamed or moved to another connection does not open.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { screenshotsDir } from '../jobs/retention.js';
import type { Services } from '../services.js';
import { sealedFromStorage } from '../vault/index.js';

const SAFE_ID = /^[A-Za-z0-9_-]+$/;

function folderOf(services: Services, connectionId: string): string {
  if (!SAFE_ID.test(connectionId)) throw new Error('connection ids are opaque tokens; refusing a path');
  return path.join(screenshotsDir(services.config.DATA_DIR), connectionId);
}

/** Seals and stores one PNG; returns its id (the file name without the extension). */
export async function saveScreenshot(services: Services, connectionId: string, png: Buffer): Promise<string> {
  const id = randomUUID();
  const folder = folderOf(services, connectionId);
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const sealed = await services.vault.sealLabelled(connectionId, 'screenshot', id, png);
  await fs.writeFile(path.join(folder, `${id}.sealed`), sealed, { mode: 0o600 });
  return id;
}

/** The PNG bytes of a stored screenshot, or undefined when it is gone (retention, disconnect). */
export async function readScreenshot(
  services: Services,
  connectionId: string,
  id: string,
): Promise<Buffer | undefined> {
  if (!SAFE_ID.test(id)) return undefined;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(folderOf(services, connectionId), `${id}.sealed`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const png = await services.vault.openLabelled(connectionId, 'screenshot', id, sealedFromStorage(bytes));
  if (!png) throw new Error(`screenshot ${id} holds another screenshot's bytes`);
  return png;
}

/** Ids of the connection's stored screenshots. */
export async function listScreenshots(services: Services, connectionId: string): Promise<string[]> {
  try {
    const names = await fs.readdir(folderOf(services, connectionId));
    return names.filter((n) => n.endsWith('.sealed')).map((n) => n.slice(0, -'.sealed'.length));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Deletes every screenshot of the connection (disconnect); an id that is not an opaque token is left alone. */
export async function deleteScreenshots(services: Services, connectionId: string): Promise<void> {
  if (!SAFE_ID.test(connectionId)) return;
  await fs.rm(folderOf(services, connectionId), { recursive: true, force: true });
}

export interface ScreenshotEntry {
  connectionId: string;
  id: string;
  /** When it was taken (the file's mtime, which the retention job reads too). */
  takenAt: Date;
  /** Sealed size in bytes. */
  bytes: number;
}

/** Every stored screenshot (of one connection, or of all), oldest first; for operators (`affix screenshots`). */
export async function screenshotEntries(
  services: Services,
  connectionId?: string,
): Promise<ScreenshotEntry[]> {
  const root = screenshotsDir(services.config.DATA_DIR);
  let connections: string[];
  if (connectionId !== undefined) connections = [connectionId];
  else {
    try {
      connections = (await fs.readdir(root)).filter((n) => SAFE_ID.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
  const out: ScreenshotEntry[] = [];
  for (const c of connections) {
    for (const id of await listScreenshots(services, c)) {
      const stat = await fs.stat(path.join(folderOf(services, c), `${id}.sealed`)).catch(() => undefined);
      if (stat) out.push({ connectionId: c, id, takenAt: stat.mtime, bytes: stat.size });
    }
  }
  return out.sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
}
