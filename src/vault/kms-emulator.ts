/**
 * A loopback stand-in for AWS KMS, speaking its JSON 1.1 wire protocol so the real `@aws-sdk/client-kms` can be
 * pointed at it (`endpoint: emulator.url`). AWS is not reachable from tests or offline demos; this is how the
 * KMS keyring is tested end to end: request signing, targets, base64 blobs, EncryptionContext and error shapes.
 *
 * Supported: `TrentService.GenerateDataKey`, `.Decrypt`, `.Encrypt`, `.CreateKey`, `.DisableKey`, `.EnableKey`.
 * Requests must carry a valid SigV4 signature from a configured access key (`UnrecognizedClientException` /
 * `InvalidSignatureException` otherwise). Errors are 400 `{ "__type": "<Exception>", "message": "…" }` as KMS sends.
 *
 * Ciphertext blobs are the emulator's own format (AES-256-GCM under the key's material, AAD = the canonical
 * EncryptionContext), opaque to callers as real KMS blobs are. Keys live in memory only.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const ACCOUNT = '111122223333';
const JSON_11 = 'application/x-amz-json-1.1';

interface EmulatedKey {
  id: string;
  arn: string;
  material: Buffer;
  enabled: boolean;
}

export interface KmsEmulatorOptions {
  region?: string;
  /** Accepted credentials (default one pair: `AKIDEMULATOR` / `emulator-secret`). */
  credentials?: Array<{ accessKeyId: string; secretAccessKey: string }>;
  /** Skip SigV4 verification (still requires an Authorization header naming a known access key). */
  skipSignatureCheck?: boolean;
}

export interface KmsCall {
  target: string;
  keyId: string | undefined;
  encryptionContext: Record<string, string> | undefined;
  error?: string;
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class KmsEmulator {
  readonly region: string;
  readonly credentials: Array<{ accessKeyId: string; secretAccessKey: string }>;
  /** Every request handled, in order (targets, key ids and contexts only): lets tests count KMS round trips. */
  readonly calls: KmsCall[] = [];
  private readonly keys = new Map<string, EmulatedKey>();
  private readonly aliases = new Map<string, string>();
  private server: Server | undefined;
  private baseUrl: string | undefined;

  constructor(private readonly options: KmsEmulatorOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.credentials = options.credentials ?? [
      { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    ];
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('KMS emulator is not started');
    return this.baseUrl;
  }

  /** Creates a symmetric key; returns its ARN (use it as the keyring's key id). Optionally names an alias. */
  createKey(alias?: string): string {
    const id = randomUUID();
    const key: EmulatedKey = {
      id,
      arn: `arn:aws:kms:${this.region}:${ACCOUNT}:key/${id}`,
      material: randomBytes(32),
      enabled: true,
    };
    this.keys.set(id, key);
    if (alias) this.aliases.set(alias.startsWith('alias/') ? alias : `alias/${alias}`, id);
    return key.arn;
  }

  setKeyEnabled(keyIdOrArn: string, enabled: boolean): void {
    const key = this.resolve(keyIdOrArn);
    if (!key) throw new Error(`no such key ${keyIdOrArn}`);
    key.enabled = enabled;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        send(res, 500, { __type: 'KMSInternalException', message: String(err) });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${addr.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const call: KmsCall = { target, keyId: undefined, encryptionContext: undefined };
    this.calls.push(call);
    try {
      if (req.method !== 'POST' || req.url !== '/')
        throw new KmsFault('UnknownOperationException', 'POST / only');
      if (!String(req.headers['content-type'] ?? '').startsWith(JSON_11)) {
        throw new KmsFault('SerializationException', `content-type must be ${JSON_11}`);
      }
      this.authenticate(req, body);
      let input: Record<string, unknown>;
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        throw new KmsFault('SerializationException', 'body is not JSON');
      }
      call.keyId = typeof input['KeyId'] === 'string' ? input['KeyId'] : undefined;
      call.encryptionContext = context(input['EncryptionContext']);
      send(res, 200, this.dispatch(target, input));
    } catch (err) {
      if (!(err instanceof KmsFault)) throw err;
      call.error = err.type;
      send(res, err.status, { __type: err.type, message: err.message });
    }
  }

  private dispatch(target: string, input: Record<string, unknown>): Record<string, unknown> {
    switch (target) {
      case 'TrentService.GenerateDataKey':
        return this.generateDataKey(input);
      case 'TrentService.Encrypt':
        return this.encrypt(input);
      case 'TrentService.Decrypt':
        return this.decrypt(input);
      case 'TrentService.CreateKey': {
        const arn = this.createKey();
        return { KeyMetadata: { KeyId: arn.split('/')[1], Arn: arn, Enabled: true, KeyState: 'Enabled' } };
      }
      case 'TrentService.DisableKey':
      case 'TrentService.EnableKey': {
        const key = this.requireKey(input['KeyId']);
        key.enabled = target === 'TrentService.EnableKey';
        return {};
      }
      default:
        throw new KmsFault('UnknownOperationException', `unsupported target ${JSON.stringify(target)}`);
    }
  }

  private generateDataKey(input: Record<string, unknown>): Record<string, unknown> {
    const key = this.usableKey(input['KeyId']);
    let size: number;
    if (input['KeySpec'] === 'AES_256') size = 32;
    else if (input['KeySpec'] === 'AES_128') size = 16;
    else if (typeof input['NumberOfBytes'] === 'number' && input['NumberOfBytes'] >= 1)
      size = input['NumberOfBytes'];
    else throw new KmsFault('ValidationException', 'KeySpec or NumberOfBytes is required');
    const plaintext = randomBytes(size);
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      CiphertextBlob: this.seal(key, plaintext, context(input['EncryptionContext'])).toString('base64'),
    };
  }

  private encrypt(input: Record<string, unknown>): Record<string, unknown> {
    const key = this.usableKey(input['KeyId']);
    const plaintext = blob(input['Plaintext'], 'Plaintext');
    if (plaintext.length < 1 || plaintext.length > 4096) {
      throw new KmsFault('ValidationException', 'Plaintext must be 1 to 4096 bytes');
    }
    return {
      KeyId: key.arn,
      CiphertextBlob: this.seal(key, plaintext, context(input['EncryptionContext'])).toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  private decrypt(input: Record<string, unknown>): Record<string, unknown> {
    const data = blob(input['CiphertextBlob'], 'CiphertextBlob');
    const idLen = data[1] ?? 0;
    if (data[0] !== 1 || data.length < 2 + idLen + 12 + 16) {
      throw new KmsFault('InvalidCiphertextException', 'The ciphertext is invalid');
    }
    const key = this.keys.get(data.subarray(2, 2 + idLen).toString('latin1'));
    if (!key) throw new KmsFault('InvalidCiphertextException', 'The ciphertext refers to an unknown key');
    if (input['KeyId'] !== undefined && this.resolve(input['KeyId'])?.id !== key.id) {
      throw new KmsFault('IncorrectKeyException', 'The key ID in the request does not identify the CMK used');
    }
    if (!key.enabled) throw new KmsFault('DisabledException', `${key.arn} is disabled.`);
    const iv = data.subarray(2 + idLen, 14 + idLen);
    const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
    decipher.setAAD(canonicalContext(context(input['EncryptionContext'])));
    decipher.setAuthTag(data.subarray(data.length - 16));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(data.subarray(14 + idLen, data.length - 16)),
        decipher.final(),
      ]);
    } catch {
      // Real KMS gives no detail either: a wrong EncryptionContext and a corrupted blob look the same.
      throw new KmsFault('InvalidCiphertextException', 'The ciphertext is invalid');
    }
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  private seal(key: EmulatedKey, plaintext: Buffer, ctx: Record<string, string> | undefined): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(canonicalContext(ctx));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(key.id, 'latin1');
    return Buffer.concat([Buffer.from([1, id.length]), id, iv, body, cipher.getAuthTag()]);
  }

  private resolve(keyId: unknown): EmulatedKey | undefined {
    if (typeof keyId !== 'string') return undefined;
    let id = keyId;
    const aliasArn = /^arn:aws:kms:[^:]+:\d+:(alias\/.+)$/.exec(id);
    if (aliasArn?.[1]) id = aliasArn[1];
    if (id.startsWith('alias/')) id = this.aliases.get(id) ?? '';
    const keyArn = /^arn:aws:kms:[^:]+:\d+:key\/(.+)$/.exec(id);
    if (keyArn?.[1]) id = keyArn[1];
    return this.keys.get(id);
  }

  private requireKey(keyId: unknown): EmulatedKey {
    if (typeof keyId !== 'string' || keyId === '')
      throw new KmsFault('ValidationException', 'KeyId is required');
    const key = this.resolve(keyId);
    if (!key) throw new KmsFault('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  private usableKey(keyId: unknown): EmulatedKey {
    const key = this.requireKey(keyId);
    if (!key.enabled) throw new KmsFault('DisabledException', `${key.arn} is disabled.`);
    return key;
  }

  /** SigV4 check, as KMS does: known access key, then the signature over the canonical request. */
  private authenticate(req: IncomingMessage, body: Buffer): void {
    const auth = String(req.headers['authorization'] ?? '');
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m)
      throw new KmsFault('MissingAuthenticationTokenException', 'Missing or malformed Authorization header');
    const [, accessKeyId, date, region, service, signedHeaders, signature] = m as unknown as string[];
    const cred = this.credentials.find((c) => c.accessKeyId === accessKeyId);
    if (!cred)
      throw new KmsFault(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    if (this.options.skipSignatureCheck) return;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const canonicalHeaders = (signedHeaders ?? '')
      .split(';')
      .map(
        (h) =>
          `${h}:${String(req.headers[h] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join('');
    const canonicalRequest = [
      req.method,
      '/',
      '',
      canonicalHeaders,
      signedHeaders,
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const toSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    let k: Buffer = createHmac('sha256', `AWS4${cred.secretAccessKey}`)
      .update(date ?? '')
      .digest();
    for (const part of [region, service, 'aws4_request'])
      k = createHmac('sha256', k)
        .update(part ?? '')
        .digest();
    const expected = createHmac('sha256', k).update(toSign).digest('hex');
    if (expected !== signature) {
      throw new KmsFault('InvalidSignatureException', 'The request signature we calculated does not match');
    }
  }
}

function canonicalContext(ctx: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(ctx ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

function context(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KmsFault('ValidationException', 'EncryptionContext must be a map');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new KmsFault('ValidationException', 'EncryptionContext values must be strings');
    out[k] = v;
  }
  return out;
}

function blob(value: unknown, name: string): Buffer {
  if (typeof value !== 'string' || value === '')
    throw new KmsFault('ValidationException', `${name} is required`);
  return Buffer.from(value, 'base64');
}

function send(res: ServerResponse, status: number, payload: Record<string, unknown>): void {
  if (res.headersSent) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
