import fs from 'node:fs';
import { load } from './support.js';
const [url, file, dur = '10'] = process.argv.slice(2);
const token = fs.readFileSync(file as string, 'utf8').trim().split('\n')[0];
const h = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' };
await load(url as string, h, 2, 16);
console.log(JSON.stringify(await load(url as string, h, Number(dur), 16)));
