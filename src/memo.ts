/**
 * A function's answer for the last argument it was given, kept: for per-request work on a value that mostly repeats
 * from one request to the next (a client's `Accept-Encoding`, its URL, its IP). Each node makes its own (per-node
 * state lives on `Services` or the app, never in module globals).
 */
export function lastAnswer<A, R>(fn: (arg: A) => R): (arg: A) => R {
  let last: { arg: A; answer: R } | undefined;
  return (arg) => {
    if (last === undefined || last.arg !== arg) last = { arg, answer: fn(arg) };
    return last.answer;
  };
}
