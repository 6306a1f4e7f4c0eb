// Cross-check against @hyperledger/fabric-protos 0.3.7 (Fabric's own generated google-protobuf code):
// every message type both sides know is filled with random values, encoded by us, parsed and re-serialized
// by theirs, and must come back byte for byte; then a few messages are checked field by field both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import * as api from '@fabric-peer/protos';
import { common, discovery, gateway, orderer, protos, type MessageCodec } from '@fabric-peer/protos';

const require = createRequire(import.meta.url);
const fabric = require('@hyperledger/fabric-protos') as Record<string, Record<string, unknown>>;

/** The slice of google-protobuf's generated classes these tests touch. */
interface JspbMessage {
  serializeBinary(): Uint8Array;
  toObject(): Record<string, unknown>;
  [accessor: string]: unknown;
}
interface JspbClass {
  new (): JspbMessage;
  deserializeBinary(bytes: Uint8Array): JspbMessage;
}
// Every class registers itself under globalThis.proto.<package>.<Name>.
const jspbRoot = (globalThis as unknown as { proto: Record<string, unknown> }).proto;

function jspbClass(fullName: string): JspbClass | undefined {
  let node: unknown = jspbRoot;
  for (const part of fullName.split('.')) {
    if (node == null || (typeof node !== 'object' && typeof node !== 'function')) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'function' && 'deserializeBinary' in node ? (node as JspbClass) : undefined;
}

function call<T>(msg: JspbMessage, method: string, ...args: unknown[]): T {
  const fn = msg[method];
  assert.equal(typeof fn, 'function', `no method ${method}`);
  return (fn as (...a: unknown[]) => T).apply(msg, args);
}

// ---------------------------------------------------------------------------------------------------------------
// Our schema, read from our .proto files with protobufjs (test-only reflection).

const protoDir = fileURLToPath(new URL('../proto/', import.meta.url));
function listProtos(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) =>
      statSync(join(dir, n)).isDirectory()
        ? listProtos(join(dir, n))
        : n.endsWith('.proto')
          ? [join(dir, n)]
          : [],
    );
}
const root = new protobuf.Root();
for (const file of listProtos(protoDir)) protobuf.parse(readFileSync(file, 'utf8'), root, { keepCase: true });
root.resolveAll();

function packageOf(obj: protobuf.ReflectionObject): string {
  let p = obj.parent;
  while (p instanceof protobuf.Type) p = p.parent;
  return p!.fullName.slice(1);
}
const camel = (s: string): string => {
  const c = s.replace(/_+([a-zA-Z0-9])/g, (_m, ch: string) => ch.toUpperCase());
  return c.charAt(0).toLowerCase() + c.slice(1);
};

function ourCodec(t: protobuf.Type): MessageCodec<Record<string, unknown>> {
  const pkg = packageOf(t);
  let ns: unknown = api;
  for (const part of pkg.split('.')) ns = (ns as Record<string, unknown>)[part];
  const local = t.fullName
    .slice(pkg.length + 2)
    .split('.')
    .join('_');
  const codec = (ns as Record<string, unknown>)[local];
  assert.ok(codec, `no codec for ${t.fullName}`);
  return codec as MessageCodec<Record<string, unknown>>;
}

function allTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const x of ns.nestedArray) {
    if (x instanceof protobuf.Type) out.push(x);
    if (x instanceof protobuf.Namespace || x instanceof protobuf.Type) allTypes(x, out);
  }
  return out;
}

// deterministic PRNG (mulberry32)
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

function randomScalar(f: protobuf.Field, r: Rand, typeName: string = f.type): unknown {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) {
    const values = Object.values(rt.values).filter((v) => v !== 0);
    return values.length > 0 ? values[int(r, 0, values.length - 1)] : 0;
  }
  switch (typeName) {
    case 'double':
      return (r() - 0.5) * 1e6 + 0.25;
    case 'float':
      return Math.fround((r() - 0.5) * 1e3 + 0.5);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return int(r, -2147483648, 2147483647) || 1;
    case 'uint32':
    case 'fixed32':
      return int(r, 1, 4294967295);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return int(r, -(2 ** 52), 2 ** 52) || 7;
    case 'uint64':
    case 'fixed64':
      return int(r, 1, 2 ** 53 - 1);
    case 'bool':
      return true;
    case 'string':
      return ['a', 'peer0.org1', 'ключ', '键-🔑', 'x'.repeat(int(r, 1, 200))][int(r, 0, 4)];
    case 'bytes':
      return Uint8Array.from({ length: int(r, 1, 40) }, () => int(r, 0, 255));
    default:
      throw new Error(`no random value for ${typeName}`);
  }
}

/** A random message in our decoded shape: every regular field set, maybe one member of each oneof. */
function randomMessage(t: protobuf.Type, r: Rand, depth: number): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  const fieldValue = (f: protobuf.Field): unknown => {
    const rt = f.resolvedType;
    if (rt instanceof protobuf.Type) {
      return depth >= 3 ? ourCodec(rt).create() : randomMessage(rt, r, depth + 1);
    }
    return randomScalar(f, r);
  };
  for (const f of t.fieldsArray) {
    if (f.partOf) continue;
    const key = camel(f.name);
    if (f instanceof protobuf.MapField) {
      // one entry: google-protobuf sorts map keys when it serializes, we keep insertion order
      const k = randomScalar(f, r, f.keyType);
      m[key] = { [String(k)]: fieldValue(f) };
    } else if (f.repeated) {
      m[key] = Array.from({ length: int(r, 1, 3) }, () => fieldValue(f));
    } else if (f.resolvedType instanceof protobuf.Type && depth >= 3) {
      m[key] = undefined;
    } else {
      m[key] = fieldValue(f);
    }
  }
  for (const o of t.oneofsArray) {
    const pick = int(r, -1, o.fieldsArray.length - 1);
    if (pick >= 0) m[camel(o.fieldsArray[pick]!.name)] = fieldValue(o.fieldsArray[pick]!);
  }
  return m;
}

const types = allTypes(root).filter((t) => !t.fullName.startsWith('.google.protobuf.'));

test('every message both sides define: our bytes are parsed and re-serialized identically by fabric-protos', () => {
  let compared = 0;
  const missing: string[] = [];
  for (const t of types) {
    const theirs = jspbClass(t.fullName.slice(1));
    if (!theirs) {
      missing.push(t.fullName.slice(1));
      continue;
    }
    const ours = ourCodec(t);
    for (let seed = 1; seed <= 8; seed++) {
      const msg = randomMessage(t, rng(seed * 7919 + t.fullName.length), 0);
      const bytes = ours.encode(msg);
      const reserialized = theirs.deserializeBinary(bytes).serializeBinary();
      assert.equal(
        Buffer.from(reserialized).toString('hex'),
        Buffer.from(bytes).toString('hex'),
        `${t.fullName} seed ${seed}`,
      );
      assert.deepStrictEqual(ours.decode(reserialized), msg, `${t.fullName} seed ${seed} decodes back`);
      compared++;
    }
  }
  // Only what fabric-protos does not carry: Fabric 1.4's Admin messages and the gRPC health protocol.
  assert.deepEqual(missing.sort(), [
    'grpc.health.v1.HealthCheckRequest',
    'grpc.health.v1.HealthCheckResponse',
    'protos.AdminOperation',
    'protos.LogLevelRequest',
    'protos.LogLevelResponse',
    'protos.LogSpecRequest',
    'protos.LogSpecResponse',
    'protos.ServerStatus',
  ]);
  assert.ok(compared > 8 * 250, `compared ${compared}`);
});

test('enum values match fabric-protos', () => {
  const enums: protobuf.Enum[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const x of ns.nestedArray) {
      if (x instanceof protobuf.Enum) enums.push(x);
      if (x instanceof protobuf.Namespace || x instanceof protobuf.Type) walk(x);
    }
  };
  walk(root);
  let checked = 0;
  for (const e of enums) {
    let node: unknown = jspbRoot;
    for (const part of e.fullName.slice(1).split('.'))
      node = (node as Record<string, unknown> | undefined)?.[part];
    if (node === undefined) continue;
    assert.deepEqual({ ...(node as Record<string, number>) }, { ...e.values }, e.fullName);
    // and our generated TS enum carries the same values
    const pkg = packageOf(e);
    let ns: unknown = api;
    for (const part of pkg.split('.')) ns = (ns as Record<string, unknown>)[part];
    const ours = (ns as Record<string, Record<string, number>>)[
      e.fullName
        .slice(pkg.length + 2)
        .split('.')
        .join('_')
    ];
    for (const [k, v] of Object.entries(e.values)) assert.equal(ours?.[k], v, `${e.fullName}.${k}`);
    checked++;
  }
  assert.ok(checked >= 20, `checked ${checked}`);
});

test('service definitions agree with fabric-protos on paths, streaming and method keys', () => {
  const pairs: [
    Record<string, { path: string; requestStream: boolean; responseStream: boolean }>,
    unknown,
  ][] = [
    [protos.EndorserService, fabric.peer!.EndorserService],
    [protos.DeliverService, fabric.peer!.DeliverService],
    [protos.ChaincodeSupportService, fabric.peer!.ChaincodeSupportService],
    [protos.ChaincodeService, fabric.peer!.ChaincodeService],
    [protos.SnapshotService, fabric.peer!.SnapshotService],
    [gateway.GatewayService, fabric.gateway!.GatewayService],
    [orderer.AtomicBroadcastService, fabric.orderer!.AtomicBroadcastService],
    [orderer.ClusterService, fabric.orderer!.ClusterService],
    [discovery.DiscoveryService, fabric.discovery!.DiscoveryService],
  ];
  for (const [ours, theirs] of pairs) {
    const t = theirs as Record<string, { path: string; requestStream: boolean; responseStream: boolean }>;
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(t).sort());
    for (const [k, d] of Object.entries(ours)) {
      assert.equal(d.path, t[k]!.path);
      assert.equal(d.requestStream, t[k]!.requestStream, d.path);
      assert.equal(d.responseStream, t[k]!.responseStream, d.path);
    }
  }
  const gossipTheirs = (fabric.gossip as Record<string, unknown>).GossipService as Record<
    string,
    { path: string }
  >;
  assert.deepEqual(
    Object.values(api.gossip.GossipService).map((d) => d.path),
    Object.values(gossipTheirs).map((d) => d.path),
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Field-by-field, both directions

const J = (name: string): JspbClass => {
  const c = jspbClass(name);
  assert.ok(c, name);
  return c;
};
const u8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test('Proposal and SignedProposal: ours -> theirs -> ours', () => {
  const p = { header: u8('hdr'), payload: u8('pl'), extension: new Uint8Array(0) };
  const theirs = J('protos.Proposal').deserializeBinary(protos.Proposal.encode(p));
  assert.deepEqual(call<Uint8Array>(theirs, 'getHeader_asU8'), p.header);
  assert.deepEqual(call<Uint8Array>(theirs, 'getPayload_asU8'), p.payload);
  assert.equal(call<Uint8Array>(theirs, 'getExtension_asU8').length, 0);

  const sp = new (J('protos.SignedProposal'))();
  call(sp, 'setProposalBytes', protos.Proposal.encode(p));
  call(sp, 'setSignature', u8('sig'));
  const back = protos.SignedProposal.decode(sp.serializeBinary());
  assert.deepEqual(protos.Proposal.decode(back.proposalBytes), p);
  assert.deepEqual(back.signature, u8('sig'));
});

test('ProposalResponse: theirs -> ours -> theirs, with timestamp, response, endorsement and interest', () => {
  const pr = new (J('protos.ProposalResponse'))();
  call(pr, 'setVersion', 1);
  const ts = new (J('google.protobuf.Timestamp'))();
  call(ts, 'setSeconds', 1795500318);
  call(ts, 'setNanos', 834532103);
  call(pr, 'setTimestamp', ts);
  const resp = new (J('protos.Response'))();
  call(resp, 'setStatus', 200);
  call(resp, 'setMessage', 'OK');
  call(resp, 'setPayload', u8('{"a":1}'));
  call(pr, 'setResponse', resp);
  call(pr, 'setPayload', u8('prp'));
  const e = new (J('protos.Endorsement'))();
  call(e, 'setEndorser', u8('me'));
  call(e, 'setSignature', u8('sig'));
  call(pr, 'setEndorsement', e);
  const interest = new (J('protos.ChaincodeInterest'))();
  const cc = new (J('protos.ChaincodeCall'))();
  call(cc, 'setName', 'asset');
  call(cc, 'setCollectionNamesList', ['c1', 'c2']);
  call(cc, 'setNoPrivateReads', true);
  call(interest, 'setChaincodesList', [cc]);
  call(pr, 'setInterest', interest);
  const bytes = pr.serializeBinary();

  const ours = protos.ProposalResponse.decode(bytes);
  assert.deepEqual(ours, {
    version: 1,
    timestamp: { seconds: 1795500318, nanos: 834532103 },
    response: { status: 200, message: 'OK', payload: u8('{"a":1}') },
    payload: u8('prp'),
    endorsement: { endorser: u8('me'), signature: u8('sig') },
    interest: {
      chaincodes: [
        {
          name: 'asset',
          collectionNames: ['c1', 'c2'],
          disregardNamespacePolicy: false,
          keyPolicies: [],
          noPrivateReads: true,
          noPublicWrites: false,
        },
      ],
    },
  });
  assert.deepEqual(protos.ProposalResponse.encode(ours), bytes);
  const again = J('protos.ProposalResponse').deserializeBinary(protos.ProposalResponse.encode(ours));
  assert.equal(call<JspbMessage>(again, 'getResponse').toObject().message, 'OK');
});

test('SeekInfo oneofs: newest / specified / MaxUint64 stop, both directions', () => {
  const max = 18446744073709551615n;
  const info = {
    start: { specified: { number: 5 } },
    stop: { specified: { number: Number(max) } },
    behavior: orderer.SeekInfo_SeekBehavior.BLOCK_UNTIL_READY,
    contentType: orderer.SeekInfo_SeekContentType.HEADER_WITH_SIG,
  };
  const bytes = orderer.SeekInfo.encode(info);
  const theirs = J('orderer.SeekInfo').deserializeBinary(bytes);
  const start = call<JspbMessage>(theirs, 'getStart');
  assert.equal(call<number>(start, 'getTypeCase'), 3);
  assert.equal(call<number>(call<JspbMessage>(start, 'getSpecified'), 'getNumber'), 5);
  assert.equal(call<number>(theirs, 'getContentType'), 1);
  // the stop number is MaxUint64 on the wire: ten bytes ff..ff 01
  assert.ok(Buffer.from(bytes).toString('hex').includes('ffffffffffffffffff01'));
  const decoded = orderer.SeekInfo.decode(bytes);
  assert.ok((decoded.stop?.specified?.number ?? 0) > Number.MAX_SAFE_INTEGER);
  assert.deepEqual(orderer.SeekInfo.encode(decoded), bytes);

  // a set oneof member holding an empty message is kept (and written) both ways
  const pos = new (J('orderer.SeekPosition'))();
  call(pos, 'setNewest', new (J('orderer.SeekNewest'))());
  const si = new (J('orderer.SeekInfo'))();
  call(si, 'setStart', pos);
  call(si, 'setStop', pos);
  const theirBytes = si.serializeBinary();
  const ours = orderer.SeekInfo.decode(theirBytes);
  assert.deepEqual(ours.start, { newest: {} });
  assert.equal('oldest' in ours.start!, false);
  assert.deepEqual(orderer.SeekInfo.encode(ours), theirBytes);
  assert.deepEqual(orderer.SeekInfo.encode({ start: { newest: {} }, stop: { newest: {} } }), theirBytes);
});

test('ChaincodeMessage: ours -> theirs and theirs -> ours', () => {
  const msg = {
    type: protos.ChaincodeMessage_Type.COMPLETED,
    timestamp: { seconds: 10, nanos: 20 },
    payload: protos.Response.encode({ status: 200, payload: u8('ok') }),
    txid: 'tx1',
    chaincodeEvent: { chaincodeId: 'asset', txId: 'tx1', eventName: 'Put', payload: u8('{}') },
    channelId: 'mychannel',
  };
  const theirs = J('protos.ChaincodeMessage').deserializeBinary(protos.ChaincodeMessage.encode(msg));
  assert.equal(call<number>(theirs, 'getType'), 6);
  assert.equal(call<string>(theirs, 'getTxid'), 'tx1');
  assert.equal(call<string>(theirs, 'getChannelId'), 'mychannel');
  assert.equal(call<string>(call<JspbMessage>(theirs, 'getChaincodeEvent'), 'getEventName'), 'Put');
  const resp = J('protos.Response').deserializeBinary(call<Uint8Array>(theirs, 'getPayload_asU8'));
  assert.equal(call<number>(resp, 'getStatus'), 200);

  const reg = new (J('protos.ChaincodeMessage'))();
  call(reg, 'setType', 1);
  const id = new (J('protos.ChaincodeID'))();
  call(id, 'setName', 'asset:1.0');
  call(reg, 'setPayload', id.serializeBinary());
  const ours = protos.ChaincodeMessage.decode(reg.serializeBinary());
  assert.equal(ours.type, protos.ChaincodeMessage_Type.REGISTER);
  assert.deepEqual(protos.ChaincodeID.decode(ours.payload), { path: '', name: 'asset:1.0', version: '' });
  assert.equal(ours.proposal, undefined);
});

test('gateway.EndorseRequest and discovery.SignedRequest: both directions', () => {
  const req = {
    transactionId: 'abc',
    channelId: 'mychannel',
    proposedTransaction: { proposalBytes: u8('p'), signature: u8('s') },
    endorsingOrganizations: ['Org1MSP', 'Org2MSP'],
  };
  const theirs = J('gateway.EndorseRequest').deserializeBinary(gateway.EndorseRequest.encode(req));
  assert.deepEqual(theirs.toObject().endorsingOrganizationsList, ['Org1MSP', 'Org2MSP']);
  assert.equal(call<string>(theirs, 'getTransactionId'), 'abc');
  assert.deepEqual(gateway.EndorseRequest.decode(theirs.serializeBinary()), req);

  const q = new (J('discovery.Query'))();
  call(q, 'setChannel', 'mychannel');
  const ccq = new (J('discovery.ChaincodeQuery'))();
  const interest = new (J('protos.ChaincodeInterest'))();
  const cc = new (J('protos.ChaincodeCall'))();
  call(cc, 'setName', 'asset');
  call(interest, 'setChaincodesList', [cc]);
  call(ccq, 'setInterestsList', [interest]);
  call(q, 'setCcQuery', ccq);
  const r = new (J('discovery.Request'))();
  const auth = new (J('discovery.AuthInfo'))();
  call(auth, 'setClientIdentity', u8('id'));
  call(auth, 'setClientTlsCertHash', u8('hash'));
  call(r, 'setAuthentication', auth);
  call(r, 'setQueriesList', [q, q]);
  const sr = new (J('discovery.SignedRequest'))();
  call(sr, 'setPayload', r.serializeBinary());
  call(sr, 'setSignature', u8('sig'));

  const ours = discovery.SignedRequest.decode(sr.serializeBinary());
  const request = discovery.Request.decode(ours.payload);
  assert.deepEqual(request.authentication, { clientIdentity: u8('id'), clientTlsCertHash: u8('hash') });
  assert.equal(request.queries.length, 2);
  assert.equal(request.queries[0]!.channel, 'mychannel');
  assert.equal(request.queries[0]!.ccQuery?.interests[0]?.chaincodes[0]?.name, 'asset');
  assert.equal(request.queries[0]!.configQuery, undefined);
  assert.deepEqual(discovery.Request.encode(request), r.serializeBinary());

  // and a discovery response from us, read by theirs
  const resp = discovery.Response.encode({
    results: [
      {
        members: {
          peersByOrg: { Org1MSP: { peers: [{ stateInfo: { payload: u8('si') }, identity: u8('peer0') }] } },
        },
      },
      { error: { content: 'access denied' } },
    ],
  });
  const back = J('discovery.Response').deserializeBinary(resp).toObject() as {
    resultsList: { error?: { content: string }; members?: { peersByOrgMap: [string, unknown][] } }[];
  };
  assert.equal(back.resultsList[1]?.error?.content, 'access denied');
  assert.equal(back.resultsList[0]?.members?.peersByOrgMap[0]?.[0], 'Org1MSP');
});

test('config maps and policies: ours -> theirs -> ours (ACLs, Capabilities, ConfigGroup)', () => {
  const acls = {
    acls: {
      'peer/Propose': { policyRef: '/Channel/Application/Writers' },
      'qscc/GetChainInfo': { policyRef: '/Channel/Application/Readers' },
    },
  };
  const theirs = J('protos.ACLs').deserializeBinary(protos.ACLs.encode(acls));
  const map = call<{ get(k: string): JspbMessage | undefined }>(theirs, 'getAclsMap');
  assert.equal(call<string>(map.get('peer/Propose')!, 'getPolicyRef'), '/Channel/Application/Writers');
  assert.deepEqual(protos.ACLs.decode(theirs.serializeBinary()), acls);

  const group: common.ConfigGroup = common.ConfigGroup.create({
    version: 1,
    values: {
      Capabilities: {
        value: common.Capabilities.encode({ capabilities: { V2_0: {} } }),
        modPolicy: 'Admins',
      },
    },
    policies: {
      Admins: {
        policy: {
          type: common.Policy_PolicyType.IMPLICIT_META,
          value: common.ImplicitMetaPolicy.encode({
            subPolicy: 'Admins',
            rule: common.ImplicitMetaPolicy_Rule.MAJORITY,
          }),
        },
        modPolicy: 'Admins',
      },
    },
    modPolicy: 'Admins',
  });
  const tg = J('common.ConfigGroup').deserializeBinary(common.ConfigGroup.encode(group));
  assert.deepEqual(common.ConfigGroup.decode(tg.serializeBinary()), group);
  const pol = call<{ get(k: string): JspbMessage | undefined }>(tg, 'getPoliciesMap').get('Admins')!;
  const imp = J('common.ImplicitMetaPolicy').deserializeBinary(
    call<Uint8Array>(call<JspbMessage>(pol, 'getPolicy'), 'getValue_asU8'),
  );
  assert.equal(call<number>(imp, 'getRule'), 2);
});
