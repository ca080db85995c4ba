/**
 * The container files, checked without Docker (CI builds the image and runs `docker compose config` where a daemon
 * and compose exist: .ci/docker-check): the Dockerfile is multi-stage, installs production dependencies only with
 * better-sqlite3 built in the build stage, runs as a non-root user with a HEALTHCHECK; the compose file has two API
 * nodes, a worker, PostgreSQL and Redis, each with a healthcheck, every Affix process on one data volume.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

interface Service {
  command?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('container files', () => {
  it('Dockerfile: multi-stage, production dependencies built in the build stage, non-root, HEALTHCHECK', () => {
    const docker = read('Dockerfile');
    const stages = docker.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    const [build = '', runtime = ''] = stages;
    expect(build).toMatch(/AS build/);
    expect(build).toMatch(/npm ci --omit=dev/);
    expect(build).toMatch(/better-sqlite3/);
    expect(build).toMatch(/g\+\+/);
    expect(runtime).toMatch(/COPY --from=build/);
    expect(runtime).not.toMatch(/npm (ci|install)|g\+\+/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*affix-healthcheck\.js/m);
    const ignored = read('.dockerignore');
    for (const entry of ['node_modules', '.git', '**/*.test.ts', 'data', '.env'])
      expect(ignored).toContain(entry);
  });

  it('docker-compose.yml: 2 API nodes, 1 worker, PostgreSQL and Redis, all with healthchecks', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as {
      services: Record<string, Service>;
    };
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['api-1', 'api-2', 'migrate', 'postgres', 'redis', 'worker']);
    for (const name of ['api-1', 'api-2', 'worker', 'postgres', 'redis']) {
      expect(s[name]?.healthcheck?.test, name).toBeDefined();
    }
    expect(s['api-1']?.command).toEqual(['serve', '--no-jobs']);
    expect(s['api-2']?.command).toEqual(['serve', '--no-jobs']);
    expect(s.worker?.command).toEqual(['worker']);
    expect(s.worker?.healthcheck?.test).toContain('--worker');
    for (const name of ['api-1', 'api-2', 'worker', 'migrate']) {
      expect(s[name]?.volumes, name).toContain('affix-data:/data');
      expect(s[name]?.environment?.REDIS_URL, name).toBe('redis://redis:6379');
      expect(s[name]?.environment?.DATABASE_URL, name).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    }
    for (const name of ['api-1', 'api-2', 'worker']) {
      expect(s[name]?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(s[name]?.depends_on?.postgres?.condition).toBe('service_healthy');
    }
  });
});
