/**
 * The baseline of P1 and P4: a bare node:http server answering every request with the same bytes and the headers
 * Affix sends them with (`content-encoding` unless the encoding given is `identity`; default br).
 */
import fs from 'node:fs';
import http from 'node:http';

const [file, port, encoding = 'br'] = process.argv.slice(2);
const body = fs.readFileSync(file as string);
http
  .createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
      vary: 'Accept-Encoding',
      'content-length': body.length,
    });
    res.end(body);
  })
  .listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
