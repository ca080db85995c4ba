/**
 * A sandbox connection's whole company (employees, company, groups, work locations, payruns, the facts payslips,
 * time off and timesheets derive from, the admin's identity) is generated once and kept in its connection state,
 * sealed by the vault like any provider state (disconnect shreds it), then served from there. It is generated
 * again only when what it was generated from changes (seed, size, the month's reference date, the settings' churn
 * and epoch).
 *
 * The kept row holds the company packed once (JSON, brotli quality 1, base64) and, after it, an edit log: with
 * SANDBOX_CHURN above 0 every fetch of the employees applies one round of churn (churn.ts) by appending its edits to
 * the log, never by rewriting the packed company; the log is folded into a new packed company only once it holds
 * more edits than a quarter of the employees. Each node keeps the companies it opened last, unpacked, in a small
 * memo bounded by bytes (`KeptCompanyMemo`, on `Services`, handed to the adapter as `ProviderContext.keptCompanies`),
 * so a read of a company it holds costs one row read and one unseal, not a decompression and a parse.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Employee } from '../../model/index.js';
import type { ConnectionState } from '../types.js';
import type { ChurnEdit } from './churn.js';
import { deepFreeze, type EmployeeFacts, type SandboxDataset, type SandboxOptions } from './dataset.js';
import { toDay } from './dates.js';
import { countryInfo } from './locale-data.js';
import type { KeptCompanyMemo, Opened } from './company-memo.js';

export { COMPANY_BYTES_PER_EMPLOYEE, KeptCompanyMemo, MEMO_BYTES } from './company-memo.js';

/** ctx.state key of the kept company. */
export const KEPT_COMPANY_KEY = 'company';

interface KeptCompany {
  v: 2;
  /** What the company was generated from; another basis means generate again. */
  basis: string;
  /** The churn round the packed company includes (0: as generated). */
  packedRound: number;
  /** The company as of `packedRound`: `PackedCompany` JSON, brotli (quality 1), base64. */
  packed: string;
  /** Churn rounds applied so far (the packed ones and the logged ones). */
  round: number;
  /** Hires made by churn so far (numbers the next ones). */
  hires: number;
  /** Edits of rounds packedRound+1 … round, in order. */
  log: ChurnEdit[];
}

type PackedFacts = Omit<EmployeeFacts, 'country'> & { country: string };

type PackedCompany = Omit<SandboxDataset, 'options' | 'asOfDay' | 'facts'> & { facts: PackedFacts[] };

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * A company packed or unpacked on this node keeps the document it was packed into or unpacked from, so that each
 * employee's JSON text (exactly `JSON.stringify(employee)`) can be cut out of it when the employees are fetched
 * (`keptEmployeeTexts`): the adapter hands the texts to the fetch path with the objects (`ListSink.pushWithJson`),
 * which hashes and caches them instead of serializing every employee again. Cut on the first ask, so other reads of
 * the company pay nothing for it; from then on each unchanged employee object has its text (a slice of the document,
 * which lives as long as one of them does: the memo of opened companies counts it). At most `UNCUT_DOCUMENTS` wait
 * uncut on a node (the oldest is let go first). An edited or hired employee is a new object, without a text.
 */
interface PackedSource {
  /** Undefined once cut or let go. */
  text: string | undefined;
  /** The employees written in it, in order (the objects; an edited company shares its unchanged ones). */
  employees: readonly Employee[];
}

const UNCUT_DOCUMENTS = 4;

/** The document a company (or a company edited from it: `applyEdits`) was packed into or unpacked from. */
const packedSources = new WeakMap<SandboxDataset, PackedSource>();
const uncut: PackedSource[] = [];
/** Each employee object's text, once cut out of its document. */
const employeeJson = new WeakMap<Employee, string>();

function holdDocument(d: SandboxDataset, text: string): void {
  const source: PackedSource = { text, employees: d.employees };
  packedSources.set(d, source);
  uncut.push(source);
  if (uncut.length > UNCUT_DOCUMENTS) (uncut.shift() as PackedSource).text = undefined;
}

/** Where the employees start in a packed document: last, one per line (`packedJson`). */
const EMPLOYEES_AT = ',"employees":[\n';

/** Registers each employee's text in its source document (nothing for a document packed before texts were kept). */
function cut(source: PackedSource, text: string): void {
  source.text = undefined;
  const at = uncut.indexOf(source);
  if (at >= 0) uncut.splice(at, 1);
  const start = text.indexOf(EMPLOYEES_AT);
  const n = source.employees.length;
  if (start < 0 || n === 0) return;
  const lines = text.slice(start + EMPLOYEES_AT.length).split('\n');
  // e0, ",", e1, ",", …, e(n-1), "]}"
  if (lines.length !== 2 * n) return;
  for (let i = 0; i < n; i++) employeeJson.set(source.employees[i] as Employee, lines[2 * i] as string);
}

/**
 * `JSON.stringify(e)` of each of `d`'s employees this node holds the text of (an employee unchanged since the company
 * was packed or unpacked here), else undefined.
 */
export function keptEmployeeTexts(d: SandboxDataset): (string | undefined)[] {
  const source = packedSources.get(d);
  if (source?.text !== undefined) cut(source, source.text);
  return d.employees.map((e) => employeeJson.get(e));
}

/**
 * The packed document: the company's JSON with its employees last, each on a line of its own (JSON whitespace, so
 * `JSON.parse` reads it as any JSON; `JSON.stringify` never writes a raw line break), so each employee's text can
 * be cut out of it. Documents packed before (employees elsewhere, no line breaks) still parse, without texts.
 */
function packedJson(d: SandboxDataset): string {
  const rest: Omit<PackedCompany, 'employees'> = {
    company: d.company,
    locations: d.locations,
    groups: d.groups,
    facts: d.facts.map((f) => ({ ...f, country: f.country.code })),
    identity: d.identity,
    payruns: d.payruns,
  };
  const head = JSON.stringify(rest).slice(0, -1);
  if (d.employees.length === 0) return `${head},"employees":[]}`;
  const texts = keptEmployeeTexts(d);
  for (let i = 0; i < texts.length; i++) texts[i] ??= JSON.stringify(d.employees[i]);
  return `${head}${EMPLOYEES_AT}${texts.join('\n,\n')}\n]}`;
}

/** A company's packed document (`packedJson`) and its kept form (that document, brotli quality 1, base64). */
export interface PackedForm {
  text: string;
  packed: string;
}

/** `d`'s packed document and kept form, without holding the document on this thread (generator-worker.ts). */
export async function packedForm(d: SandboxDataset): Promise<PackedForm> {
  const text = packedJson(d);
  const json = Buffer.from(text);
  const br = await brotliCompress(json, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
  return { text, packed: br.toString('base64') };
}

/** The company packed for its kept row; the document is held for `keptEmployeeTexts`. */
async function pack(d: SandboxDataset): Promise<string> {
  const { text, packed } = await packedForm(d);
  holdDocument(d, text);
  return packed;
}

/** The company a packed document holds (deeply frozen); the document is held for `keptEmployeeTexts`. */
export function fromDocument(text: string, options: Required<SandboxOptions>): SandboxDataset {
  const p = JSON.parse(text) as PackedCompany;
  const d = deepFreeze({
    ...p,
    options,
    asOfDay: toDay(options.asOf),
    facts: p.facts.map((f) => ({ ...f, country: countryInfo(f.country) })),
  });
  holdDocument(d, text);
  return d;
}

async function unpack(packed: string, options: Required<SandboxOptions>): Promise<SandboxDataset> {
  return fromDocument((await brotliDecompress(Buffer.from(packed, 'base64'))).toString('utf8'), options);
}

/** A company generated for a kept row: the company, and its kept form. */
export interface MadeCompany {
  data: SandboxDataset;
  packed: string;
}

/** Generates a company on this thread (`generate`) and packs it: what a node without a generator worker does. */
export async function makeHere(generate: () => SandboxDataset): Promise<MadeCompany> {
  const data = generate();
  return { data, packed: await pack(data) };
}

/**
 * `edits` applied to `d` (not modified; unchanged records are shared). A hire copies the payroll facts of the
 * colleague it was modelled on; a leaver's facts end on their termination date.
 */
export function applyEdits(d: SandboxDataset, edits: readonly ChurnEdit[]): SandboxDataset {
  if (edits.length === 0) return d;
  const employees = [...d.employees];
  const facts = [...d.facts];
  const at = new Map<string, number>();
  for (let i = 0; i < employees.length; i++) at.set((employees[i] as Employee).id, i);
  const removed = new Set<number>();
  for (const edit of edits) {
    if (edit.op === 'add') {
      const like = facts[at.get(edit.like) ?? 0] ?? facts[0];
      if (!like) continue;
      const startDay = toDay(edit.employee.start_date ?? d.options.asOf);
      const last = like.comp.at(-1);
      at.set(edit.employee.id, employees.length);
      employees.push(edit.employee);
      facts.push({
        ...like,
        index: edit.index,
        startDay,
        termDay: null,
        comp: last ? [{ ...last, day: startDay }] : [],
      });
      continue;
    }
    const i = at.get(edit.id);
    const current = i === undefined ? undefined : employees[i];
    const f = i === undefined ? undefined : facts[i];
    if (i === undefined || !current || !f) continue;
    if (edit.op === 'remove') {
      // Marked here, dropped below: positions stay valid for the edits after it.
      at.delete(edit.id);
      removed.add(i);
      continue;
    }
    const next = { ...current, ...edit.patch };
    employees[i] = next;
    if (next.termination_date && next.termination_date !== current.termination_date) {
      facts[i] = { ...f, termDay: toDay(next.termination_date) };
    }
  }
  const keep = (_: unknown, i: number) => !removed.has(i);
  const edited = deepFreeze({
    ...d,
    employees: removed.size > 0 ? employees.filter(keep) : employees,
    facts: removed.size > 0 ? facts.filter(keep) : facts,
  });
  // Its unchanged employees are the source's objects: their texts can still be cut out of it.
  const source = packedSources.get(d);
  if (source) packedSources.set(edited, source);
  return edited;
}

/** Where `keptCompany` keeps what it opens: a node's memo and the connection's key in it. */
export interface MemoSlot {
  memo: KeptCompanyMemo;
  key: string;
}

function remember(slot: MemoSlot | undefined, opened: Opened): void {
  slot?.memo.remember(slot.key, opened);
}

/** The company of a current kept row: from the memo when it holds this round, else unpacked and edited. */
async function open(
  kept: KeptCompany,
  options: Required<SandboxOptions>,
  slot: MemoSlot | undefined,
): Promise<SandboxDataset> {
  const hit = slot?.memo.get(slot.key);
  if (hit && hit.basis === kept.basis && hit.packedRound === kept.packedRound && hit.round === kept.round) {
    return hit.data;
  }
  const base =
    hit && hit.basis === kept.basis && hit.packedRound === kept.packedRound && hit.round === kept.packedRound
      ? hit.data
      : await unpack(kept.packed, options);
  const data = applyEdits(base, kept.log);
  remember(slot, { basis: kept.basis, packedRound: kept.packedRound, round: kept.round, data });
  return data;
}

/**
 * The connection's company: the kept one (made by `make()` on first use: generated and packed, on this thread or in
 * the node's generator worker, generator-pool.ts), after one round of churn when
 * `churn` > 0. Concurrent calls on any node each apply their own round (the state update is atomic). `slot` is this
 * node's memo and the company's key in it (the connection id), if any; the result is deeply frozen and shared.
 */
export async function keptCompany(
  state: ConnectionState,
  options: Required<SandboxOptions>,
  churn: number,
  make: () => Promise<MadeCompany>,
  slot?: MemoSlot,
): Promise<SandboxDataset> {
  const basis = JSON.stringify([options.seed, options.employees, options.asOf, options.churn, options.epoch]);
  const current = (kept: KeptCompany | undefined): kept is KeptCompany =>
    kept?.v === 2 && kept.basis === basis;

  if (!(churn > 0)) {
    const kept = await state.get<KeptCompany>(KEPT_COMPANY_KEY);
    if (current(kept)) return open(kept, options, slot);
    const generated = await make();
    let made: KeptCompany | undefined;
    const stored = await state.update<KeptCompany>(KEPT_COMPANY_KEY, (now) => {
      if (current(now)) return now;
      made = { v: 2, basis, packedRound: 0, packed: generated.packed, round: 0, hires: 0, log: [] };
      return made;
    });
    if (stored === made) {
      remember(slot, { basis, packedRound: 0, round: 0, data: generated.data });
      return generated.data;
    }
    // Kept by someone else meanwhile (perhaps churned since): theirs is the company now.
    return open(stored, options, slot);
  }

  let result: Opened | undefined;
  await state.update<KeptCompany>(KEPT_COMPANY_KEY, async (now) => {
    let kept: KeptCompany;
    let before: SandboxDataset;
    if (current(now)) {
      kept = now;
      before = await open(now, options, slot);
    } else {
      const generated = await make();
      before = generated.data;
      kept = { v: 2, basis, packedRound: 0, packed: generated.packed, round: 0, hires: 0, log: [] };
    }
    // Loaded here, not with this module: churn draws from faker, which a node that only serves reads never loads.
    const { applyChurnRound } = await import('./churn.js');
    const round = kept.round + 1;
    const churned = applyChurnRound(before.employees, {
      seed: options.seed,
      round,
      fraction: churn,
      today: options.asOf,
      hiresSoFar: kept.hires,
    });
    const data = applyEdits(before, churned.edits);
    const log = [...kept.log, ...churned.edits];
    const hires = kept.hires + churned.hired.length;
    // A long log is folded into the packed company (amortized: once per quarter of the company's size in edits).
    const fold = log.length > Math.max(16, data.employees.length / 4);
    result = { basis, packedRound: fold ? round : kept.packedRound, round, data };
    return fold
      ? { v: 2, basis, packedRound: round, packed: await pack(data), round, hires, log: [] }
      : { ...kept, round, hires, log };
  });
  if (!result) throw new Error('unreachable: the update ran');
  remember(slot, result);
  return result.data;
}
