// Output as the Go peer prints it: protobuf-go's compact text form of a Response (what `%v` of a
// pb.Response prints in "Chaincode invoke successful. result: ..."), and Go's encoding/json shapes.
import type { protos } from '@fabric-peer/protos';

/** protobuf-go's text-format string escaping (internal/encoding/text appendString, outputASCII false). */
export function goTextString(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  let out = '"';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 0x22 || c === 0x5c) out += '\\' + String.fromCharCode(c);
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
      else out += String.fromCharCode(c);
      i++;
      continue;
    }
    const n = utf8Length(b, i);
    if (n === 0) {
      out += '\\x' + c.toString(16);
      i++;
      continue;
    }
    const ch = b.subarray(i, i + n).toString('utf8');
    const cp = ch.codePointAt(0)!;
    out += cp <= 0x9f ? '\\u' + cp.toString(16).padStart(4, '0') : ch;
    i += n;
  }
  return out + '"';
}

/** Length of the valid UTF-8 sequence at i, or 0 when the byte there starts none. */
function utf8Length(b: Buffer, i: number): number {
  const c = b[i]!;
  const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  const cp = b
    .subarray(i, i + n)
    .toString('utf8')
    .codePointAt(0)!;
  if (cp === 0xfffd && !(b[i] === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd)) return 0;
  if (n === 3 && cp >= 0xd800 && cp <= 0xdfff) return 0;
  return n;
}

/** `status:200 payload:"..."` (fields in number order, zero values left out, as Go prints them). */
export function formatResponse(r: protos.Response | undefined): string {
  if (r === undefined) return '<nil>';
  const parts: string[] = [];
  if (r.status !== 0) parts.push(`status:${r.status}`);
  if (r.message !== '') parts.push(`message:${goTextString(Buffer.from(r.message, 'utf8'))}`);
  if (r.payload.length > 0) parts.push(`payload:${goTextString(r.payload)}`);
  return parts.join(' ');
}

/** Go's json.MarshalIndent(v, "", "\t"): tab indentation, no spaces after commas. */
export function goJsonIndent(v: unknown): string {
  return JSON.stringify(v, null, '\t');
}
