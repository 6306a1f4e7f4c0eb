// Codec semantics (defaults, oneofs, maps, 64-bit numbers) and hostile input (only ProtoDecodeError escapes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  common,
  etcdraft,
  gossip,
  kvrwset,
  lifecycle,
  MAX_DEPTH,
  orderer,
  ProtoDecodeError,
  protos,
  type Init,
  type MessageCodec,
} from '@fabric-peer/protos';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const block5 = new Uint8Array(
  readFileSync(
    fileURLToPath(new URL('../../test/fixtures/fabric-2.5.12/blocks/mychannel/5.block', import.meta.url)),
  ),
);

function decodeError(fn: () => unknown): ProtoDecodeError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtoDecodeError, `expected ProtoDecodeError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ProtoDecodeError');
}

test('decode fills proto3 defaults; create fills them for whatever init leaves out', () => {
  assert.deepEqual(common.ChannelHeader.decode(new Uint8Array(0)), {
    type: 0,
    version: 0,
    timestamp: undefined,
    channelId: '',
    txId: '',
    epoch: 0,
    extension: new Uint8Array(0),
    tlsCertHash: new Uint8Array(0),
  });
  assert.deepEqual(common.BlockHeader.create({ number: 5 }), {
    number: 5,
    previousHash: new Uint8Array(0),
    dataHash: new Uint8Array(0),
  });
  const cg = common.ConfigGroup.create({ groups: { Application: { version: 2 } } });
  assert.deepEqual(cg.groups['Application'], {
    version: 2,
    groups: {},
    values: {},
    policies: {},
    modPolicy: '',
  });
  assert.deepEqual(orderer.SeekPosition.create(), {});
  assert.deepEqual(orderer.SeekPosition.create({ oldest: {} }), { oldest: {} });
  assert.equal(common.Block.typeName, 'common.Block');
  assert.equal(protos.ChaincodeMessage.typeName, 'protos.ChaincodeMessage');
});

test('encode omits defaults as Go does, but writes set messages, set oneof members and whole map entries', () => {
  assert.equal(
    hex(common.ChannelHeader.encode({ type: 0, channelId: '', epoch: 0, extension: new Uint8Array() })),
    '',
  );
  assert.equal(hex(common.ChannelHeader.encode({ type: 3, channelId: 'c' })), '0803' + '220163');
  // an empty but present sub-message is written (tag + zero length)
  assert.equal(hex(common.Payload.encode({ header: {} })), '0a00');
  // a oneof member is written even when it holds the default
  assert.equal(hex(lifecycle.StateData.encode({ int64: 0 })), '0800');
  assert.equal(hex(lifecycle.StateData.encode({ bytes: new Uint8Array() })), '1200');
  assert.equal(hex(orderer.SeekPosition.encode({ newest: {} })), '0a00');
  // map entries always carry key and value, even empty ones
  assert.equal(
    hex(common.ConfigUpdate.encode({ isolatedData: { a: new Uint8Array() } })),
    '2a05' + '0a0161' + '1200',
  );
  assert.equal(hex(common.ConfigGroup.encode({ values: { '': {} } })), '1a04' + '0a00' + '1200');
  // repeated bytes are written element by element, empty ones included
  assert.equal(hex(common.BlockData.encode({ data: [new Uint8Array(), fromHex('ff')] })), '0a00' + '0a01ff');
  // fields in field-number order whatever the object's key order
  assert.equal(
    hex(common.Envelope.encode({ signature: fromHex('02'), payload: fromHex('01') })),
    '0a0101' + '120102',
  );
});

test('repeated numeric fields decode packed and unpacked; repeated bytes keep empty elements', () => {
  // etcdraft.BlockMetadata.consenter_ids is repeated uint64
  const packed = fromHex('0a03' + '010203');
  const unpacked = fromHex('0801' + '0802' + '0803');
  assert.deepEqual(etcdraft.BlockMetadata.decode(packed).consenterIds, [1, 2, 3]);
  assert.deepEqual(etcdraft.BlockMetadata.decode(unpacked).consenterIds, [1, 2, 3]);
  assert.deepEqual(etcdraft.BlockMetadata.encode({ consenterIds: [1, 2, 3] }), packed);
  assert.equal(hex(etcdraft.BlockMetadata.encode({ consenterIds: [] })), '');
  const hashes = kvrwset.QueryReadsMerkleSummary.decode(fromHex('1a0100' + '1a00')).maxLevelHashes;
  assert.deepEqual(hashes, [fromHex('00'), new Uint8Array(0)]);
});

test('64-bit integers: exact to 2^53, negative int64, MaxUint64 saturates and round-trips', () => {
  const big = Number.MAX_SAFE_INTEGER;
  assert.equal(common.BlockHeader.decode(common.BlockHeader.encode({ number: big })).number, big);
  assert.equal(
    common.BlockHeader.decode(common.BlockHeader.encode({ number: 2 ** 40 + 3 })).number,
    2 ** 40 + 3,
  );
  const ts = { seconds: -62135596800, nanos: 1 };
  assert.deepEqual(
    protos.ChaincodeMessage.decode(protos.ChaincodeMessage.encode({ timestamp: ts })).timestamp,
    ts,
  );
  const maxBytes = fromHex('08ffffffffffffffffff01');
  const decoded = orderer.SeekSpecified.decode(maxBytes);
  assert.ok(decoded.number >= 2 ** 64 - 2048);
  assert.deepEqual(orderer.SeekSpecified.encode(decoded), maxBytes);
  assert.deepEqual(orderer.SeekSpecified.encode({ number: 2 ** 70 }), maxBytes);
});

test('bool: any non-zero varint is true, as in Go (also 2^32, whose low 32 bits are zero)', () => {
  // kvrwset.KVWrite.is_delete = 2
  assert.equal(kvrwset.KVWrite.decode(fromHex('1001')).isDelete, true);
  assert.equal(kvrwset.KVWrite.decode(fromHex('1000')).isDelete, false);
  assert.equal(kvrwset.KVWrite.decode(fromHex('1080808080' + '10')).isDelete, true);
  assert.equal(kvrwset.KVWrite.decode(fromHex('10808080808080808001')).isDelete, true);
  assert.equal(hex(kvrwset.KVWrite.encode({ isDelete: true })), '1001');
});

test('oneofs: last member on the wire wins; unset members are absent', () => {
  const both = fromHex('0a00' + '1200'); // newest then oldest
  const pos = orderer.SeekPosition.decode(both);
  assert.deepEqual(pos, { oldest: {} });
  assert.equal('newest' in pos, false);
});

test('a singular message field seen twice merges, as Go merges it; repeated fields append', () => {
  // Payload{header{channel_header=01, signature_header=02}} followed by Payload{header{channel_header=03}}
  const first = common.Payload.encode({
    header: { channelHeader: fromHex('01'), signatureHeader: fromHex('02') },
  });
  const second = common.Payload.encode({ header: { channelHeader: fromHex('03') }, data: fromHex('04') });
  const merged = common.Payload.decode(new Uint8Array([...first, ...second]));
  assert.deepEqual(merged, {
    header: { channelHeader: fromHex('03'), signatureHeader: fromHex('02') },
    data: fromHex('04'),
  });
  // the same oneof member twice merges; another member replaces
  const a = orderer.SeekInfo.encode({ start: { specified: { number: 5 } }, behavior: 1 });
  const b = orderer.SeekInfo.encode({ start: { specified: {} } });
  assert.deepEqual(orderer.SeekInfo.decode(new Uint8Array([...a, ...b])).start, { specified: { number: 5 } });
  const c = orderer.SeekInfo.encode({ start: { oldest: {} } });
  assert.deepEqual(orderer.SeekInfo.decode(new Uint8Array([...a, ...c])).start, { oldest: {} });
  const blocks = common.BlockData.encode({ data: [fromHex('aa')] });
  assert.deepEqual(common.BlockData.decode(new Uint8Array([...blocks, ...blocks])).data, [
    fromHex('aa'),
    fromHex('aa'),
  ]);
});

test('map keys, including __proto__, are own properties in wire order', () => {
  const bytes = common.ConfigGroup.encode({ values: { b: {}, a: {}, __proto__x: {} } });
  assert.deepEqual(Object.keys(common.ConfigGroup.decode(bytes).values), ['b', 'a', '__proto__x']);
  // hand-made entry with key "__proto__"
  const key = Buffer.from('__proto__');
  const entry = Buffer.concat([Buffer.from([0x0a, key.length]), key, Buffer.from([0x12, 0x02, 0x08, 0x07])]);
  const evil = Buffer.concat([Buffer.from([0x1a, entry.length]), entry]);
  const g = common.ConfigGroup.decode(evil);
  assert.equal(Object.getPrototypeOf(g.values), Object.prototype);
  assert.deepEqual(Object.keys(g.values), ['__proto__']);
  assert.equal(Object.getOwnPropertyDescriptor(g.values, '__proto__')?.value.version, 7);
  assert.deepEqual(common.ConfigGroup.encode(g), new Uint8Array(evil));
});

test('unknown fields and known fields with another wire type are skipped, as Go does', () => {
  // field 99 varint, then header (1) given as a varint instead of a message
  const bytes = fromHex('98 06 01' + '08 05' + '1a 00');
  assert.deepEqual(common.Block.decode(bytes), {
    header: undefined,
    data: undefined,
    metadata: { metadata: [] },
  });
  // an unknown group (wire type 3) is skipped too
  assert.deepEqual(common.LastConfig.decode(fromHex('13 08 01 14' + '08 09')), { index: 9 });
});

test('varints are read as Go reads them: over-long forms, 10-byte negatives, oversize lengths and tags', () => {
  // an int32 in six (over-long) bytes, then version = 5
  assert.deepEqual(
    { ...common.ChannelHeader.decode(fromHex('08 81 80 80 80 80 00' + '10 05')), timestamp: null },
    { ...common.ChannelHeader.create({ type: 1, version: 5 }), timestamp: null },
  );
  // negative int32s are sign-extended to ten bytes on the wire
  const neg = common.ChannelHeader.encode({ type: -1 });
  assert.equal(hex(neg), '08ffffffffffffffffff01');
  assert.equal(common.ChannelHeader.decode(neg).type, -1);
  // an over-long tag
  assert.equal(common.ChannelHeader.decode(fromHex('88 80 80 80 00 05')).type, 5);
  // eleven bytes, or a tenth byte above 1, is an error
  decodeError(() => common.ChannelHeader.decode(fromHex('08 ff ff ff ff ff ff ff ff ff ff 01')));
  decodeError(() => common.ChannelHeader.decode(fromHex('08 ff ff ff ff ff ff ff ff ff 02')));
  decodeError(() => common.BlockHeader.decode(fromHex('08 ff ff ff ff ff ff ff ff ff 02')));
  // a length of 2^32 + 1 is not a length of 1
  decodeError(() => common.Envelope.decode(fromHex('0a 81 80 80 80 10 aa')));
  decodeError(() => common.Envelope.decode(fromHex('4a 81 80 80 80 10 aa'))); // also for an unknown field
  // field numbers up to MaxInt32 are unknown fields; above it, an error
  assert.equal(
    common.LastConfig.decode(fromHex('80 80 80 80 10 01' + '80 80 80 80 3f 01' + '08 07')).index,
    7,
  );
  decodeError(() => common.LastConfig.decode(fromHex('80 80 80 80 40 01')));
  // an unknown group must end with its own number
  decodeError(() => common.LastConfig.decode(fromHex('13 08 01 1c')));
  // sint32 / uint32 read the low 32 bits of over-long values
  assert.equal(common.ChannelHeader.decode(fromHex('08 80 80 80 80 10')).type, 0);
});

test('strings must be valid UTF-8, as Go requires for proto3; BOM and non-ASCII text are kept', () => {
  const header = (text: Uint8Array): Uint8Array =>
    new Uint8Array(Buffer.concat([Buffer.from([0x22, text.length]), Buffer.from(text)]));
  assert.equal(
    common.ChannelHeader.decode(header(Buffer.from('\ufeffmychannel'))).channelId,
    '\ufeffmychannel',
  );
  assert.equal(common.ChannelHeader.decode(header(Buffer.from('канал-通道-🐟'))).channelId, 'канал-通道-🐟');
  const long = 'x'.repeat(100) + 'é';
  assert.equal(common.ChannelHeader.decode(common.ChannelHeader.encode({ channelId: long })).channelId, long);
  for (const bad of ['ff', 'c0af', 'eda080', 'e282', '61ff62', 'f8888080']) {
    const err = decodeError(() => common.ChannelHeader.decode(header(fromHex(bad))));
    assert.match(err.message, /UTF-8/);
  }
  // also in a long string and in a map key
  decodeError(() =>
    common.ChannelHeader.decode(header(new Uint8Array([...Buffer.from('y'.repeat(50)), 0xff]))),
  );
  const entry = fromHex('0a01ff' + '1200');
  decodeError(() => common.ConfigGroup.decode(new Uint8Array([0x1a, entry.length, ...entry])));
});

test('ProtoDecodeError: code, typeName, message, cause', () => {
  const err = decodeError(() => common.Block.decode(block5.subarray(0, block5.length - 1)));
  assert.equal(err.code, 'PROTO_DECODE_ERROR');
  assert.equal(err.typeName, 'common.Block');
  assert.equal(err.name, 'ProtoDecodeError');
  assert.ok(err instanceof Error);
  assert.match(err.message, /^cannot decode common\.Block: /);
  const notBytes = decodeError(() => common.Envelope.decode('abc' as unknown as Uint8Array));
  assert.match(notBytes.message, /not a Uint8Array/);
});

test('malformed input: truncations, bad varints, bad wire types -> ProtoDecodeError only', () => {
  // every truncation of a real block either decodes (it ended on a field boundary) or fails cleanly
  let failed = 0;
  for (let len = 0; len < block5.length; len += 7) {
    try {
      common.Block.decode(block5.subarray(0, len));
    } catch (err) {
      assert.ok(err instanceof ProtoDecodeError, `truncated at ${len}: ${String(err)}`);
      failed++;
    }
  }
  assert.ok(failed > 100);
  decodeError(() => common.Envelope.decode(fromHex('0a05' + '0102')));
  decodeError(() => common.Envelope.decode(fromHex('08' + 'ffffffffffffffffffffff')));
  decodeError(() => common.Envelope.decode(fromHex('0f')));
  decodeError(() => common.Envelope.decode(fromHex('0e')));
  decodeError(() => common.Envelope.decode(fromHex('0c'))); // end-group with no start
  decodeError(() => common.Envelope.decode(fromHex('00'))); // field number 0
  decodeError(() => common.Envelope.decode(fromHex('13 08 01'))); // group never closed
  // a nested message whose contents run past its own length
  decodeError(() => common.Block.decode(fromHex('0a02' + '0a05' + '0000000000')));
});

test('random bytes into many message types: only ProtoDecodeError ever escapes', () => {
  const codecs: MessageCodec<unknown>[] = [
    common.Block,
    common.Envelope,
    common.ConfigEnvelope,
    common.ConfigGroup,
    protos.ProposalResponse,
    protos.ChaincodeMessage,
    protos.Transaction,
    kvrwset.KVRWSet,
    gossip.GossipMessage,
    orderer.SeekInfo,
    lifecycle.StateData,
  ];
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 16;
  };
  let errors = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = Uint8Array.from({ length: next() % 64 }, () => next() & 0xff);
    // also mutate a real block at one position
    const mutated = new Uint8Array(block5);
    mutated[next() % mutated.length] = next() & 0xff;
    for (const input of [bytes, mutated]) {
      const codec = codecs[i % codecs.length]!;
      try {
        codec.decode(input);
      } catch (err) {
        assert.ok(err instanceof ProtoDecodeError, `${codec.typeName}: ${String(err)}`);
        errors++;
      }
    }
  }
  assert.ok(errors > 100);
});

test('deep nesting is a ProtoDecodeError, not a stack overflow', () => {
  // SignaturePolicy nests through NOutOf.rules
  const nest = (depth: number): Uint8Array => {
    let inner = common.SignaturePolicy.encode({ signedBy: 0 });
    for (let i = 0; i < depth; i++) {
      inner = common.SignaturePolicy.encode({
        nOutOf: { n: 1, rules: [common.SignaturePolicy.decode(inner)] },
      });
    }
    return inner;
  };
  assert.ok(common.SignaturePolicy.decode(nest(40)).nOutOf);
  // built by hand: every level is field 2 (n_out_of) -> field 2 (rules), two message levels per step
  const byHand = (steps: number): Uint8Array => {
    let inner: Buffer = Buffer.from([0x08, 0x00]);
    for (let i = 0; i < steps; i++) {
      const rules = Buffer.concat([Buffer.from([0x12]), varint(inner.length), inner]);
      inner = Buffer.concat([Buffer.from([0x12]), varint(rules.length), rules]);
    }
    return inner;
  };
  const ok = byHand(MAX_DEPTH / 2 - 1);
  assert.ok(common.SignaturePolicy.decode(ok));
  const err = decodeError(() => common.SignaturePolicy.decode(byHand(1_000)));
  assert.match(err.message, /nesting/);
  // nested config groups through map values
  let group = common.ConfigGroup.encode({});
  for (let i = 0; i < MAX_DEPTH; i++) {
    const entry = Buffer.concat([Buffer.from([0x0a, 0x01, 0x67, 0x12]), varint(group.length), group]);
    group = Buffer.concat([Buffer.from([0x12]), varint(entry.length), entry]);
  }
  decodeError(() => common.ConfigGroup.decode(group));
  // unknown groups nested a million deep
  const groups = Buffer.concat([Buffer.alloc(1_000_000, 0x13), Buffer.alloc(1_000_000, 0x14)]);
  decodeError(() => common.Envelope.decode(groups));
});

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

test('types: Init is a deep partial, decoded messages are complete and re-encodable', () => {
  const init: Init<common.Block> = { header: { number: 1 }, metadata: { metadata: [new Uint8Array(1)] } };
  const full: common.Block = common.Block.decode(common.Block.encode(init));
  const again: Init<common.Block> = full;
  assert.deepEqual(common.Block.encode(again), common.Block.encode(init));
  const codec: MessageCodec<common.Block> = common.Block;
  assert.equal(codec.typeName, 'common.Block');
  const kind: protos.ChaincodeMessage_Type = protos.ChaincodeMessage.decode(new Uint8Array([8, 6])).type;
  assert.equal(kind, protos.ChaincodeMessage_Type.COMPLETED);
  // compile-time only: these must not type-check
  const _typeErrors = (): void => {
    // @ts-expect-error a 64-bit field is a number
    common.BlockHeader.encode({ number: '1' });
    // @ts-expect-error bytes are Uint8Array
    common.Envelope.encode({ payload: 'abc' });
    // @ts-expect-error no such field
    common.Envelope.encode({ payloads: new Uint8Array() });
    // @ts-expect-error decoded message fields may be undefined
    const _n: number = common.Block.decode(new Uint8Array()).header.number;
  };
});
