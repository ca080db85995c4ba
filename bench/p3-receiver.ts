/**
 * P3's loopback receiver, run in a child process of the bench (`fork`) so its CPU (HTTP parsing, the body, the
 * checks) is not counted in the bench's "ours": it is the bench's, not the poll path's. It counts change events per
 * connection in the current phase, employees changed in each connection's last event, and 2xx answers per
 * webhook-id; the parent asks for them over IPC.
 *
 * Messages in: `{ type: 'reset' }` (a new cycle: per-connection counts start again), `{ type: 'report' }`.
 * Messages out: `{ type: 'listening', port }`, then `{ type: 'report', … }` answering each message in.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceiverReport {
  type: 'report';
  /** Change events received since the start. */
  counter: number;
  /** [connection id, change events in the current phase]. */
  perConnection: [string, number][];
  /** [connection id, employees added + removed + updated in its last event]. */
  changedIn: [string, number][];
  /** 2xx answers beyond the first per webhook-id. */
  duplicateIds: number;
  /** This process's CPU (user + system) since it started, ms: what the receiver would have added to "ours". */
  cpuMs: number;
}

let perConnection = new Map<string, number>();
const changedIn = new Map<string, number>();
const okPerId = new Map<string, number>();
let counter = 0;

const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      connection?: { id: string };
      changes?: unknown;
      added?: unknown[];
      removed?: unknown[];
      updated?: unknown[];
    };
    const id = String(req.headers['webhook-id']);
    okPerId.set(id, (okPerId.get(id) ?? 0) + 1);
    if (body.changes && body.connection) {
      counter++;
      perConnection.set(body.connection.id, (perConnection.get(body.connection.id) ?? 0) + 1);
      const changed = (body.added?.length ?? 0) + (body.removed?.length ?? 0) + (body.updated?.length ?? 0);
      changedIn.set(body.connection.id, changed);
    }
    res.end();
  });
});

process.on('message', (m: { type: string }) => {
  if (m.type === 'reset') perConnection = new Map();
  if (m.type === 'reset' || m.type === 'report') {
    const report: ReceiverReport = {
      type: 'report',
      counter,
      perConnection: [...perConnection],
      changedIn: [...changedIn],
      duplicateIds: [...okPerId.values()].reduce((sum, n) => sum + n - 1, 0),
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    };
    process.send?.(report);
  }
});
process.on('disconnect', () => {
  receiver.close();
  process.exit(0);
});
receiver.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (receiver.address() as AddressInfo).port });
});
