import fs from 'node:fs';
import { load } from './support.js';
const [url, file, dur = '10', one] = process.argv.slice(2);
const tokens = fs
  .readFileSync(file as string, 'utf8')
  .trim()
  .split('\n')
  .map((t) => `Bearer ${t}`);
const f = await load(
  url as string,
  { 'accept-encoding': 'br' },
  Number(dur),
  32,
  one ? tokens.slice(0, 1) : tokens,
);
console.log(JSON.stringify(f));
