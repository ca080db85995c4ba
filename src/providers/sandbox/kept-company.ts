/**
 * A sandbox connection's employees are generated once and kept (connection state, sealed by the vault like any
 * provider state, so disconnect shreds them), then served from there: opening the kept list costs a fraction of
 * generating it (docs/operations.md, "Sandbox"). With SANDBOX_CHURN above 0, every fetch of the employees first
 * applies one round of churn to the kept list as edits (src/providers/sandbox/churn.ts) and writes it back, so two
 * webhook polls see a company that hired, lost and changed people in between. The list is regenerated only when
 * what it was generated from changes (seed, size, the month's reference date, the settings' churn and epoch).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Employee } from '../../model/index.js';
import type { ConnectionState } from '../types.js';
import { applyChurnRound } from './churn.js';
import type { SandboxOptions } from './dataset.js';

/** ctx.state key of the kept company. */
export const KEPT_COMPANY_KEY = 'company';

interface KeptCompany {
  v: 1;
  /** What the list was generated from; another basis means generate again. */
  basis: string;
  /** Churn rounds applied so far. */
  round: number;
  hires: number;
  /** The employees' JSON, brotli (quality 1), base64. */
  employees: string;
}

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

async function pack(employees: readonly Employee[]): Promise<string> {
  const json = Buffer.from(JSON.stringify(employees));
  const br = await brotliCompress(json, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
  return br.toString('base64');
}

async function unpack(packed: string): Promise<Employee[]> {
  return JSON.parse((await brotliDecompress(Buffer.from(packed, 'base64'))).toString('utf8')) as Employee[];
}

/**
 * The connection's employees: the kept list (made from `generate()` on first use), after one round of churn when
 * `churn` > 0. Concurrent calls on any node each apply their own round (the state update is atomic).
 */
export async function keptEmployees(
  state: ConnectionState,
  options: Required<SandboxOptions>,
  churn: number,
  generate: () => readonly Employee[],
): Promise<Employee[]> {
  const basis = JSON.stringify([options.seed, options.employees, options.asOf, options.churn, options.epoch]);
  const fresh = async (employees: readonly Employee[]): Promise<KeptCompany> => ({
    v: 1,
    basis,
    round: 0,
    hires: 0,
    employees: await pack(employees),
  });
  const current = (kept: KeptCompany | undefined) => kept?.v === 1 && kept.basis === basis;

  if (!(churn > 0)) {
    const kept = await state.get<KeptCompany>(KEPT_COMPANY_KEY);
    if (kept && current(kept)) return unpack(kept.employees);
    const generated = generate();
    const stored = await state.update<KeptCompany>(KEPT_COMPANY_KEY, async (now) =>
      now && current(now) ? now : fresh(generated),
    );
    // Kept by someone else meanwhile (perhaps churned since): theirs is the company now.
    return stored.round === 0 ? [...generated] : unpack(stored.employees);
  }

  let result: Employee[] = [];
  await state.update<KeptCompany>(KEPT_COMPANY_KEY, async (now) => {
    const kept = now && current(now) ? now : await fresh(generate());
    const round = kept.round + 1;
    const churned = applyChurnRound(await unpack(kept.employees), {
      seed: options.seed,
      round,
      fraction: churn,
      today: options.asOf,
      hiresSoFar: kept.hires,
    });
    result = churned.employees;
    return {
      v: 1,
      basis,
      round,
      hires: kept.hires + churned.hired.length,
      employees: await pack(churned.employees),
    };
  });
  return result;
}
