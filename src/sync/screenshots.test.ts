/**
 * Error screenshots at rest (a provider's pages show employee data): sealed files only, bound to their
 * connection and name, deleted by disconnect (with the key shredded) and by the 5-day retention job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionJob, retentionPolicy, screenshotsDir } from '../jobs/retention.js';
import { seedConnections } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { deleteScreenshots, listScreenshots, readScreenshot, saveScreenshot } from './screenshots.js';
import { wipeConnection } from './wipe-connection.js';

const DAY = 86_400_000;
/** A PNG-looking payload with a recognisable marker, so its absence on disk means something. */
const png = (marker: string) => Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.from(marker)]);

describe('sealed screenshots', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode();
  });
  afterAll(() => node.close());

  const filesOf = (connectionId: string) => {
    const dir = path.join(screenshotsDir(node.config.DATA_DIR), connectionId);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
  };

  it('round-trips; the file holds no plaintext and is private', async () => {
    const {
      connections: [id],
    } = await seedConnections(node.services.store);
    if (!id) throw new Error('no connection');
    const marker = `payroll-page-${Date.now()}`;
    const shot = await saveScreenshot(node.services, id, png(marker));
    expect(await listScreenshots(node.services, id)).toEqual([shot]);
    expect((await readScreenshot(node.services, id, shot))?.toString()).toContain(marker);
    const [file] = filesOf(id);
    if (!file) throw new Error('no file');
    expect(fs.readFileSync(file).includes(Buffer.from(marker))).toBe(false);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await readScreenshot(node.services, id, 'missing')).toBeUndefined();
    expect(await readScreenshot(node.services, id, '../escape')).toBeUndefined();
  });

  it('a file renamed, or moved to another connection, does not open', async () => {
    const {
      connections: [a, b],
    } = await seedConnections(node.services.store, { count: 2 });
    if (!a || !b) throw new Error('no connections');
    const first = await saveScreenshot(node.services, a, png('first'));
    const second = await saveScreenshot(node.services, a, png('second'));
    const dir = path.join(screenshotsDir(node.config.DATA_DIR), a);
    fs.copyFileSync(path.join(dir, `${first}.sealed`), path.join(dir, `${second}.sealed`));
    await expect(readScreenshot(node.services, a, second)).rejects.toThrow(/another screenshot/);
    const other = path.join(screenshotsDir(node.config.DATA_DIR), b);
    fs.mkdirSync(other, { recursive: true });
    fs.copyFileSync(path.join(dir, `${first}.sealed`), path.join(other, `${first}.sealed`));
    await expect(readScreenshot(node.services, b, first)).rejects.toThrow();
    await deleteScreenshots(node.services, b);
    expect(filesOf(b)).toEqual([]);
  });

  it('disconnect deletes the files; a copy kept elsewhere no longer opens', async () => {
    const {
      connections: [id],
    } = await seedConnections(node.services.store);
    if (!id) throw new Error('no connection');
    const shot = await saveScreenshot(node.services, id, png('kept-copy'));
    const [file] = filesOf(id);
    if (!file) throw new Error('no file');
    const copy = fs.readFileSync(file);
    await wipeConnection(node.services, id);
    expect(filesOf(id)).toEqual([]);
    expect(await readScreenshot(node.services, id, shot)).toBeUndefined();
    const dir = path.join(screenshotsDir(node.config.DATA_DIR), id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${shot}.sealed`), copy);
    await expect(readScreenshot(node.services, id, shot)).rejects.toThrow();
  });

  it('the retention job deletes screenshots older than 5 days and keeps younger ones', async () => {
    const {
      connections: [id],
    } = await seedConnections(node.services.store);
    if (!id) throw new Error('no connection');
    const old = await saveScreenshot(node.services, id, png('old'));
    const young = await saveScreenshot(node.services, id, png('young'));
    const now = Date.now();
    const dir = path.join(screenshotsDir(node.config.DATA_DIR), id);
    const sixDaysAgo = new Date(now - 6 * DAY);
    fs.utimesSync(path.join(dir, `${old}.sealed`), sixDaysAgo, sixDaysAgo);
    const job = new RetentionJob(node.services.store, retentionPolicy(node.config), {
      dataDir: node.config.DATA_DIR,
      now: () => now,
    });
    await job.run();
    expect(await listScreenshots(node.services, id)).toEqual([young]);
  });
});
