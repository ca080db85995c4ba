/**
 * `affix screenshots list|export`: operators see and decrypt the error screenshots of web logins; the HTTP API has
 * no route that reaches them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../sync/screenshots.js';
import { seedConnections } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { screenshotsCommand } from './screenshots.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('pixels'),
]);

describe('affix screenshots', () => {
  let node: TestNode;
  let connectionId = '';
  let shot = '';
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await screenshotsCommand(
      node.services,
      args,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    node = await startTestNode();
    const {
      connections: [id],
    } = await seedConnections(node.services.store);
    connectionId = id ?? '';
    shot = await saveScreenshot(node.services, connectionId, PNG);
  });
  afterAll(() => node.close());

  it('list shows every screenshot with its connection, id, time and size; per connection too', async () => {
    const all = await run('list');
    expect(all.code).toBe(0);
    expect(all.out).toContain(connectionId);
    expect(all.out).toContain(shot);
    expect((await run('list', connectionId)).out).toContain(shot);
    expect((await run('list', 'con_nothing')).out).toBe('no screenshots');
    expect((await run('list', '../etc')).code).toBe(2);
  });

  it('export writes the decrypted PNG (mode 0600) and never overwrites a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-shot-'));
    try {
      const file = path.join(dir, 'shot.png');
      const res = await run('export', connectionId, shot, file);
      expect(res.code).toBe(0);
      expect(fs.readFileSync(file).equals(PNG)).toBe(true);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      await expect(run('export', connectionId, shot, file)).rejects.toThrow(/EEXIST/);
      expect((await run('export', connectionId, 'missing', path.join(dir, 'x.png'))).code).toBe(1);
      expect((await run('export', connectionId)).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no API route reaches screenshots', () => {
    expect(node.app.printRoutes({ commonPrefix: false }).toLowerCase()).not.toContain('screenshot');
  });
});
