import { Type } from '@sinclair/typebox';
import { errors } from '../../../http/errors.js';
import { DateString, type Mode } from '../../../model/index.js';
import type { DateRange } from '../../../providers/types.js';

export const RequiredRange = Type.Object({
  start_date: { ...DateString, description: 'start of the period, YYYY-MM-DD, inclusive' },
  end_date: { ...DateString, description: 'end of the period, YYYY-MM-DD, inclusive' },
});
export const OptionalRange = Type.Object({
  start_date: Type.Optional({ ...DateString, description: 'start of the period, YYYY-MM-DD, inclusive' }),
  end_date: Type.Optional({ ...DateString, description: 'end of the period, YYYY-MM-DD, inclusive' }),
});

/** xhr requires the period (as the newest contract does); official, as in 2024-03-29, makes it optional. */
export const rangeFor = (mode: Mode) => (mode === 'xhr' ? RequiredRange : OptionalRange);

/** A full range, none, or 400 for half a range or one that ends before it starts. */
export function checkRange(q: { start_date?: string; end_date?: string }): DateRange | null {
  if (q.start_date === undefined && q.end_date === undefined) return null;
  if (q.start_date === undefined || q.end_date === undefined) {
    throw errors.badRequest('start_date and end_date must be given together');
  }
  if (q.end_date < q.start_date) throw errors.badRequest('end_date must not be before start_date');
  return { start_date: q.start_date, end_date: q.end_date };
}
