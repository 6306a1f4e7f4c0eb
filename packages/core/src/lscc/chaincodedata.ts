// Fabric's ccprovider.ChaincodeData, the value lscc keeps under key <name> in namespace `lscc`, and the
// CDS package fingerprint. Encoded by hand because Fabric's Go struct holds policy and instantiation
// policy as raw bytes (fabric-protos' protos.ChaincodeData types them as messages): the bytes a client
// sent must be stored exactly, or two peers would endorse different write sets.
import { createHash } from 'node:crypto';
import { type protos } from '@fabric-peer/protos';

export interface ChaincodeData {
  name: string;
  version: string;
  escc: string;
  vscc: string;
  policy: Uint8Array;
  /** CDSData{code_hash, metadata_hash} bytes. */
  data: Uint8Array;
  /** The package fingerprint: sha256(code_hash ++ metadata_hash). */
  id: Uint8Array;
  instantiationPolicy: Uint8Array;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** Length-delimited fields in field order, empty ones omitted (proto3, as Go marshals). */
function lengthDelimited(fields: readonly (Uint8Array | string)[]): Uint8Array {
  const parts: Buffer[] = [];
  fields.forEach((f, i) => {
    const b = typeof f === 'string' ? Buffer.from(f, 'utf8') : Buffer.from(f);
    if (b.length === 0) return;
    parts.push(Buffer.from([((i + 1) << 3) | 2, ...varint(b.length)]), b);
  });
  return Buffer.concat(parts);
}

export const encodeChaincodeData = (cd: ChaincodeData): Uint8Array =>
  lengthDelimited([cd.name, cd.version, cd.escc, cd.vscc, cd.policy, cd.data, cd.id, cd.instantiationPolicy]);

/** Reads the length-delimited fields 1..8 (anything else is skipped as Go does). */
export function decodeChaincodeData(b: Uint8Array): ChaincodeData {
  const f: Uint8Array[] = Array.from({ length: 9 }, () => new Uint8Array());
  let i = 0;
  const read = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (i >= b.length) throw new Error('truncated ChaincodeData');
      const x = b[i++]!;
      n += (x & 0x7f) * mul;
      if (x < 0x80) return n;
      mul *= 128;
    }
  };
  while (i < b.length) {
    const tag = read();
    const wire = tag & 7;
    const no = Math.floor(tag / 8);
    if (wire === 2) {
      const len = read();
      if (i + len > b.length) throw new Error('truncated ChaincodeData');
      if (no >= 1 && no <= 8) f[no] = b.subarray(i, i + len);
      i += len;
    } else if (wire === 0) read();
    else throw new Error(`unexpected wire type ${wire} in ChaincodeData`);
  }
  const s = (x: Uint8Array): string => Buffer.from(x).toString('utf8');
  return {
    name: s(f[1]!),
    version: s(f[2]!),
    escc: s(f[3]!),
    vscc: s(f[4]!),
    policy: f[5]!,
    data: f[6]!,
    id: f[7]!,
    instantiationPolicy: f[8]!,
  };
}

const sha256 = (...parts: (Uint8Array | string)[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Fabric's CDSPackage data: CDSData bytes and the fingerprint id of a deployment spec. */
export function cdsFingerprint(cds: protos.ChaincodeDeploymentSpec): { data: Uint8Array; id: Uint8Array } {
  const cc = cds.chaincodeSpec?.chaincodeId;
  const codeHash = sha256(cds.codePackage);
  const metaHash = sha256(cc?.name ?? '', cc?.version ?? '');
  return { data: lengthDelimited([codeHash, metaHash]), id: sha256(codeHash, metaHash) };
}
