/** A new SQLite database gets 16 KiB pages; one made before keeps its own. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore, SQLITE_PAGE_SIZE } from './db.js';

async function pageSize(file: string): Promise<number> {
  const store = await openStore(`sqlite:${file}`);
  try {
    await store.migrate();
    const { rows } = await sql<{ page_size: number }>`PRAGMA page_size`.execute(store.db);
    return rows[0]?.page_size ?? 0;
  } finally {
    await store.close();
  }
}

describe('SQLite page size', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-page-size-'));

  it('a new database is made with 16 KiB pages, and keeps them when opened again', async () => {
    const file = path.join(dir, 'new.db');
    expect(SQLITE_PAGE_SIZE).toBe(16_384);
    expect(await pageSize(file)).toBe(16_384);
    expect(await pageSize(file)).toBe(16_384);
  });

  it('an existing database keeps the page size it was made with', async () => {
    const file = path.join(dir, 'old.db');
    const old = new SQLite(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE before_us (x INTEGER)');
    old.close();
    expect(await pageSize(file)).toBe(4096);
  });
});
