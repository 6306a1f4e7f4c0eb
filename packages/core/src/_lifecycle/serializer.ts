// Fabric's lifecycle Serializer (core/chaincode/lifecycle/serializer.go): a structure is written as
// one `<ns>/metadata/<name>` key (StateMetadata{datatype, fields}) and one `<ns>/fields/<name>/<Field>`
// key per field (a StateData). A field is written only when its bytes change and the metadata only
// when the type or field count changes, so two peers produce the same rw-set as Fabric's. Approvals
// in other orgs' implicit collections are compared by hash only (IsSerialized).
import { createHash } from 'node:crypto';
import { lifecycle } from '@fabric-peer/protos';
import { fieldKey, metadataKey } from '../lifecycle/index.js';
import { LIFECYCLE_ERRORS, LifecycleError } from './errors.js';

export interface ReadableState {
  getState(key: string): Promise<Uint8Array | undefined>;
}
export interface ReadWritableState extends ReadableState {
  putState(key: string, value: Uint8Array): Promise<void>;
  delState(key: string): Promise<void>;
}
/** Another org's implicit collection: only the hashes of its values are visible. */
export interface OpaqueState {
  getStateHash(key: string): Promise<Uint8Array | undefined>;
  readonly collectionName: string;
}
export interface RangeableState {
  getStateRange(prefix: string): Promise<Map<string, Uint8Array>>;
}

/**
 * A structure as Fabric's reflection sees it: its Go type name and its fields in declaration order,
 * each with its encoded StateData (as lifecycle/'s encoders produce them).
 */
export interface Serializable {
  readonly typeName: string;
  readonly fields: readonly (readonly [name: string, value: Uint8Array])[];
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

const metadataOf = (s: Serializable): lifecycle.StateMetadata => ({
  datatype: s.typeName,
  fields: s.fields.map(([f]) => f),
});

export async function deserializeMetadata(
  namespace: string,
  name: string,
  state: ReadableState,
): Promise<lifecycle.StateMetadata | undefined> {
  const bin = await state.getState(metadataKey(namespace, name));
  if (bin === undefined) return undefined;
  try {
    return lifecycle.StateMetadata.decode(bin);
  } catch (err) {
    throw corrupt(`could not unmarshal metadata for namespace ${namespace}/${name}: ${String(err)}`);
  }
}

export async function deserializeField(
  namespace: string,
  name: string,
  field: string,
  state: ReadableState,
): Promise<lifecycle.StateData> {
  const key = fieldKey(namespace, name, field);
  const bin = await state.getState(key);
  try {
    return lifecycle.StateData.decode(bin ?? new Uint8Array());
  } catch (err) {
    throw corrupt(`could not unmarshal state for key ${key}: ${String(err)}`);
  }
}

export async function fieldAsInt64(
  ns: string,
  name: string,
  field: string,
  state: ReadableState,
): Promise<number> {
  const v = await deserializeField(ns, name, field, state);
  if (v.int64 !== undefined) return v.int64;
  if (v.bytes === undefined && v.string === undefined) return 0;
  throw corrupt(`expected key ${fieldKey(ns, name, field)} to encode a value of type Int64`);
}

export async function fieldAsBytes(
  ns: string,
  name: string,
  field: string,
  state: ReadableState,
): Promise<Uint8Array> {
  const v = await deserializeField(ns, name, field, state);
  if (v.bytes !== undefined) return v.bytes;
  if (v.int64 === undefined && v.string === undefined) return new Uint8Array();
  throw corrupt(`expected key ${fieldKey(ns, name, field)} to encode a value of type []byte`);
}

export async function fieldAsString(
  ns: string,
  name: string,
  field: string,
  state: ReadableState,
): Promise<string> {
  const v = await deserializeField(ns, name, field, state);
  if (v.string !== undefined) return v.string;
  if (v.int64 === undefined && v.bytes === undefined) return '';
  throw corrupt(`expected key ${ns}/fields/${name}/${field} to encode a value of type String`);
}

/** Fabric's Serialize: writes changed fields, the metadata if needed, deletes fields no longer present. */
export async function serialize(
  namespace: string,
  name: string,
  structure: Serializable,
  state: ReadWritableState,
): Promise<void> {
  const metadata = (await deserializeMetadata(namespace, name, state)) ?? { datatype: '', fields: [] };
  const existing = new Map<string, Uint8Array | undefined>();
  for (const f of metadata.fields) {
    const key = fieldKey(namespace, name, f);
    existing.set(key, await state.getState(key));
  }
  for (const [field, data] of structure.fields) {
    const key = fieldKey(namespace, name, field);
    const bin = data;
    if (!existing.has(key) || !same(existing.get(key), bin)) await state.putState(key, bin);
    existing.delete(key);
  }
  if (
    existing.size > 0 ||
    metadata.datatype !== structure.typeName ||
    metadata.fields.length !== structure.fields.length
  ) {
    await state.putState(metadataKey(namespace, name), lifecycle.StateMetadata.encode(metadataOf(structure)));
  }
  for (const key of existing.keys()) await state.delState(key);
}

/** Fabric's IsSerialized: do the hashes in `state` equal those of `structure` serialized? */
export async function isSerialized(
  namespace: string,
  name: string,
  structure: Serializable,
  state: OpaqueState,
): Promise<boolean> {
  // Every hash is read (and so recorded as a hashed read) before comparing, as Fabric does.
  const mdHash = await state.getStateHash(metadataKey(namespace, name));
  const fieldHashes: (Uint8Array | undefined)[] = [];
  for (const [field] of structure.fields)
    fieldHashes.push(await state.getStateHash(fieldKey(namespace, name, field)));
  if (!same(sha256(lifecycle.StateMetadata.encode(metadataOf(structure))), mdHash)) return false;
  return structure.fields.every(([, data], i) => same(sha256(data), fieldHashes[i]));
}

/** Fabric's IsMetadataSerialized: is `name` of the structure's type (by metadata hash)? */
export async function isMetadataSerialized(
  namespace: string,
  name: string,
  structure: Serializable,
  state: OpaqueState,
): Promise<boolean> {
  const hash = await state.getStateHash(metadataKey(namespace, name));
  return same(sha256(lifecycle.StateMetadata.encode(metadataOf(structure))), hash);
}

/** Every `<ns>/metadata/*` entry: name -> StateMetadata. */
export async function deserializeAllMetadata(
  namespace: string,
  state: RangeableState,
): Promise<Map<string, lifecycle.StateMetadata>> {
  const prefix = `${namespace}/metadata/`;
  const out = new Map<string, lifecycle.StateMetadata>();
  for (const [key, value] of await state.getStateRange(prefix)) {
    try {
      out.set(key.slice(prefix.length), lifecycle.StateMetadata.decode(value));
    } catch (err) {
      throw corrupt(`error unmarshalling metadata for key ${key}: ${String(err)}`);
    }
  }
  return out;
}

const corrupt = (reason: string): LifecycleError =>
  new LifecycleError(LIFECYCLE_ERRORS.STATE_CORRUPT, { reason });
