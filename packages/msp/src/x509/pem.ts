// PEM as Go's encoding/pem reads it: the first block wins, text around it is ignored.
import { CertificateError, MSPErrorCode } from '../errors.js';

export interface PemBlock {
  readonly type: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([^-\r\n]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

function decodeBody(type: string, body: string): Uint8Array {
  // Encapsulated headers ("Proc-Type: ...") precede a blank line; skip them like Go does.
  const lines = body.split(/\r?\n/);
  const start = lines.some((l) => l.includes(':')) ? lines.findIndex((l) => l.trim() === '') + 1 : 0;
  const b64 = lines.slice(start).join('');
  if (!BASE64.test(b64))
    throw new CertificateError(MSPErrorCode.PEM_INVALID, `PEM block ${type}: invalid base64`);
  const der = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
  if (der.length === 0) throw new CertificateError(MSPErrorCode.PEM_INVALID, `PEM block ${type}: empty`);
  return new Uint8Array(der.buffer, der.byteOffset, der.length);
}

function asText(data: string | Uint8Array): string {
  return typeof data === 'string'
    ? data
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

/** All PEM blocks in order (optionally only those of one type). */
export function decodePemBlocks(data: string | Uint8Array, type?: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of asText(data).matchAll(BLOCK)) {
    const t = m[1]!;
    if (type === undefined || t === type) out.push({ type: t, der: decodeBody(t, m[2]!) });
  }
  return out;
}

/** The first PEM block, whatever its type; throws MSP_PEM_INVALID when there is none. */
export function decodeFirstPem(data: string | Uint8Array): PemBlock {
  BLOCK.lastIndex = 0;
  const m = BLOCK.exec(asText(data));
  BLOCK.lastIndex = 0;
  if (!m) throw new CertificateError(MSPErrorCode.PEM_INVALID, 'could not decode the PEM structure');
  return { type: m[1]!, der: decodeBody(m[1]!, m[2]!) };
}

/** Go's pem.Encode layout: 64-column base64, trailing newline. */
export function encodePem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}
