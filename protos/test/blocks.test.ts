// Real Fabric 2.5.12 blocks: decode every level of every block, re-encode every level to identical bytes,
// and compare what we read with the fixture's independently derived JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  common,
  etcdraft,
  kvrwset,
  lifecycle,
  msp,
  orderer,
  protos,
  rwset,
  type Init,
  type MessageCodec,
} from '@fabric-peer/protos';

const fixtures = fileURLToPath(new URL('../../test/fixtures/fabric-2.5.12/', import.meta.url));

interface FixtureRead {
  key: string;
  version: { block_num: number; tx_num: number } | null;
}
interface FixtureWrite {
  key: string;
  is_delete: boolean;
  value?: string;
  value_b64?: string;
}
interface FixtureRange {
  start_key: string;
  end_key: string;
  itr_exhausted: boolean;
  kv_reads: FixtureRead[];
}
interface FixtureAction {
  chaincode: string;
  chaincode_version: string;
  function: string;
  args: string[] | null;
  args_b64: string[];
  endorsers: string[];
  endorser_identities: string[];
  response: { status: number; message: string; payload: string };
  event?: { chaincode_id: string; event_name: string; payload: string; tx_id: string };
  rwsets: {
    namespace: string;
    reads: FixtureRead[];
    writes: FixtureWrite[];
    range_queries?: FixtureRange[];
  }[];
}
interface FixtureTx {
  index: number;
  tx_id: string;
  header_type: number;
  channel_id: string;
  timestamp: string;
  creator_msp_id?: string;
  creator_identity?: string;
  validation_code: number;
  config_sequence?: number;
  config_update_signers?: string[];
  actions?: FixtureAction[];
}
interface FixtureBlock {
  number: number;
  previous_hash: string;
  data_hash: string;
  last_config_index: number;
  transactions_filter_hex: string;
  commit_hash: string;
  transactions: FixtureTx[];
}

const expected = JSON.parse(readFileSync(join(fixtures, 'blocks/mychannel.json'), 'utf8')) as {
  channel: string;
  blocks: FixtureBlock[];
};

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Decodes, re-encodes and asserts the bytes come back identical; returns the decoded message. */
let levels = 0;
function rt<T>(codec: MessageCodec<T>, bytes: Uint8Array, what = codec.typeName): T {
  const msg = codec.decode(bytes);
  const again = codec.encode(msg as Init<T>);
  assert.ok(again instanceof Uint8Array);
  assert.equal(hex(again), hex(bytes), `${what} re-encodes to different bytes`);
  levels++;
  return msg;
}

function rfc3339(ts: { seconds: number; nanos: number } | undefined): string {
  assert.ok(ts);
  const base = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
  if (ts.nanos === 0) return base + 'Z';
  return base + '.' + String(ts.nanos).padStart(9, '0').replace(/0+$/, '') + 'Z';
}

function identity(bytes: Uint8Array): { mspid: string; cn: string } {
  const id = rt(msp.SerializedIdentity, bytes);
  const cert = new X509Certificate(Buffer.from(id.idBytes));
  const cn = /CN=([^\n]+)/.exec(cert.subject)?.[1] ?? '';
  return { mspid: id.mspid, cn };
}

function deepPolicy(policy: common.Policy | undefined, path: string): void {
  assert.ok(policy, `${path} has a policy`);
  if (policy.type === common.Policy_PolicyType.SIGNATURE) {
    const env = rt(common.SignaturePolicyEnvelope, policy.value, path);
    assert.ok(env.rule, `${path} rule`);
    assert.ok(env.identities.length > 0);
    for (const p of env.identities) {
      assert.equal(p.principalClassification, common.MSPPrincipal_Classification.ROLE);
      const role = rt(common.MSPRole, p.principal, path + ' principal');
      assert.match(role.mspIdentifier, /^(Orderer|Org1|Org2)MSP$/);
    }
  } else {
    assert.equal(policy.type, common.Policy_PolicyType.IMPLICIT_META, path);
    const imp = rt(common.ImplicitMetaPolicy, policy.value, path);
    assert.ok(
      ['Readers', 'Writers', 'Admins', 'Endorsement', 'LifecycleEndorsement'].includes(imp.subPolicy),
      path,
    );
  }
}

const seenValues = new Set<string>();

function deepConfigGroup(group: common.ConfigGroup, path: string): void {
  for (const [name, value] of Object.entries(group.values)) {
    seenValues.add(name);
    const where = `${path}/${name}`;
    switch (name) {
      case 'MSP': {
        const cfg = rt(msp.MSPConfig, value.value, where);
        assert.equal(cfg.type, 0);
        const fab = rt(msp.FabricMSPConfig, cfg.config, where);
        // the group is named after the org (OrdererOrg), the MSP after its ID
        assert.equal(fab.name, { OrdererOrg: 'OrdererMSP' }[path.split('/').pop()!] ?? path.split('/').pop());
        assert.ok(fab.rootCerts.length > 0);
        assert.ok(fab.fabricNodeOus?.enable, `${where} NodeOUs on`);
        assert.ok(fab.cryptoConfig);
        assert.equal(fab.cryptoConfig.signatureHashFamily, 'SHA2');
        break;
      }
      case 'BatchSize': {
        const b = rt(orderer.BatchSize, value.value, where);
        assert.equal(b.maxMessageCount, 10);
        assert.equal(b.absoluteMaxBytes, 99 * 1024 * 1024);
        assert.equal(b.preferredMaxBytes, 512 * 1024);
        break;
      }
      case 'BatchTimeout':
        assert.equal(rt(orderer.BatchTimeout, value.value, where).timeout, '1s');
        break;
      case 'ConsensusType': {
        const ct = rt(orderer.ConsensusType, value.value, where);
        assert.equal(ct.type, 'etcdraft');
        const meta = rt(etcdraft.ConfigMetadata, ct.metadata, where);
        assert.equal(meta.consenters.length, 1);
        assert.equal(meta.consenters[0]?.host, '127.0.0.1');
        assert.equal(meta.consenters[0]?.port, 28050);
        assert.ok(meta.options);
        break;
      }
      case 'Capabilities': {
        const caps = rt(common.Capabilities, value.value, where);
        assert.deepEqual(Object.keys(caps.capabilities), ['V2_0']);
        break;
      }
      case 'OrdererAddresses':
      case 'Endpoints': {
        const addrs = rt(common.OrdererAddresses, value.value, where);
        assert.deepEqual(addrs.addresses, ['127.0.0.1:28050']);
        break;
      }
      case 'AnchorPeers': {
        const ap = rt(protos.AnchorPeers, value.value, where);
        assert.deepEqual(ap.anchorPeers, [{ host: '127.0.0.1', port: 28151 }]);
        break;
      }
      case 'ACLs': {
        const acls = rt(protos.ACLs, value.value, where);
        assert.equal(acls.acls['peer/Propose']?.policyRef, '/Channel/Application/Writers');
        break;
      }
      case 'HashingAlgorithm':
        assert.equal(rt(common.HashingAlgorithm, value.value, where).name, 'SHA256');
        break;
      case 'BlockDataHashingStructure':
        assert.equal(rt(common.BlockDataHashingStructure, value.value, where).width, 4294967295);
        break;
      case 'ChannelRestrictions':
        assert.equal(rt(orderer.ChannelRestrictions, value.value, where).maxCount, 0);
        break;
      default:
        assert.fail(`unexpected config value ${where}`);
    }
  }
  for (const [name, policy] of Object.entries(group.policies)) deepPolicy(policy.policy, `${path}/${name}`);
  for (const [name, child] of Object.entries(group.groups)) deepConfigGroup(child, `${path}/${name}`);
}

function deepConfigUpdate(envBytes: Uint8Array, tx: FixtureTx): void {
  const env = rt(common.Envelope, envBytes, 'last_update');
  const payload = rt(common.Payload, env.payload);
  assert.ok(payload.header);
  const ch = rt(common.ChannelHeader, payload.header.channelHeader);
  assert.equal(ch.type, common.HeaderType.CONFIG_UPDATE);
  assert.equal(ch.channelId, expected.channel);
  const cue = rt(common.ConfigUpdateEnvelope, payload.data);
  const update = rt(common.ConfigUpdate, cue.configUpdate);
  assert.equal(update.channelId, expected.channel);
  assert.ok(update.writeSet?.groups['Application']?.groups['Org1MSP']?.values['AnchorPeers']);
  const signers = cue.signatures.map(
    (s) => identity(rt(common.SignatureHeader, s.signatureHeader).creator).mspid,
  );
  assert.deepEqual(signers, tx.config_update_signers);
}

/** _lifecycle's public state: StateMetadata for metadata keys, StateData (oneof) for field keys. */
function lifecycleState(key: string, value: Uint8Array): void {
  if (key === 'namespaces/metadata/asset') {
    const meta = rt(lifecycle.StateMetadata, value, key);
    assert.equal(meta.datatype, 'ChaincodeDefinition');
    assert.deepEqual(meta.fields, ['Sequence', 'EndorsementInfo', 'ValidationInfo', 'Collections']);
    return;
  }
  const data = rt(lifecycle.StateData, value, key);
  switch (key) {
    case 'namespaces/fields/asset/Sequence':
      assert.deepEqual(data, { int64: 1 });
      break;
    case 'namespaces/fields/asset/EndorsementInfo': {
      assert.ok(data.bytes);
      const info = rt(lifecycle.ChaincodeEndorsementInfo, data.bytes, key);
      assert.deepEqual(info, { version: '1.0', initRequired: false, endorsementPlugin: 'escc' });
      break;
    }
    case 'namespaces/fields/asset/ValidationInfo': {
      assert.ok(data.bytes);
      const info = rt(lifecycle.ChaincodeValidationInfo, data.bytes, key);
      assert.equal(info.validationPlugin, 'vscc');
      const policy = rt(protos.ApplicationPolicy, info.validationParameter, key);
      assert.deepEqual(policy, { channelConfigPolicyReference: '/Channel/Application/Endorsement' });
      break;
    }
    case 'namespaces/fields/asset/Collections': {
      // a set oneof member holding empty bytes: written anyway (tag + zero length)
      assert.deepEqual([...value], [0x12, 0x00]);
      assert.deepEqual(data.bytes, new Uint8Array(0));
      assert.deepEqual(rt(protos.CollectionConfigPackage, data.bytes!, key), { config: [] });
      break;
    }
    default:
      assert.fail(`unexpected _lifecycle key ${key}`);
  }
}

function deepEndorserTx(ch: common.ChannelHeader, data: Uint8Array, tx: FixtureTx, number: number): void {
  const ext = rt(protos.ChaincodeHeaderExtension, ch.extension);
  const transaction = rt(protos.Transaction, data);
  assert.equal(transaction.actions.length, tx.actions?.length);
  transaction.actions.forEach((action, i) => {
    const want = tx.actions![i]!;
    const sh = rt(common.SignatureHeader, action.header);
    assert.equal(identity(sh.creator).mspid, tx.creator_msp_id);
    const cap = rt(protos.ChaincodeActionPayload, action.payload);
    const cpp = rt(protos.ChaincodeProposalPayload, cap.chaincodeProposalPayload);
    const cis = rt(protos.ChaincodeInvocationSpec, cpp.input);
    const spec = cis.chaincodeSpec;
    assert.ok(spec?.chaincodeId && spec.input);
    assert.equal(spec.chaincodeId.name, want.chaincode);
    assert.equal(ext.chaincodeId?.name, want.chaincode);
    assert.deepEqual(
      spec.input.args.map((a) => Buffer.from(a).toString('base64')),
      want.args_b64,
    );
    assert.equal(utf8(spec.input.args[0]!), want.function);
    if (want.args !== null) assert.deepEqual(spec.input.args.slice(1).map(utf8), want.args);

    // _lifecycle's arguments are protobufs themselves
    if (want.chaincode === '_lifecycle') {
      const arg = spec.input.args[1]!;
      if (want.function === 'ApproveChaincodeDefinitionForMyOrg') {
        const a = rt(lifecycle.ApproveChaincodeDefinitionForMyOrgArgs, arg);
        assert.equal(a.name, 'asset');
        assert.equal(a.version, '1.0');
        assert.equal(a.sequence, 1);
        assert.equal(
          a.source?.localPackage?.packageId,
          readFileSync(join(fixtures, 'chaincode/asset_1.0.package-id'), 'utf8').trim(),
        );
      } else {
        assert.equal(want.function, 'CommitChaincodeDefinition');
        const a = rt(lifecycle.CommitChaincodeDefinitionArgs, arg);
        assert.equal(a.name, 'asset');
        assert.equal(a.sequence, 1);
        // the peer CLI leaves the plugins empty; _lifecycle fills in escc/vscc when it stores the definition
        assert.equal(a.endorsementPlugin, '');
        assert.equal(a.validationPlugin, '');
        assert.equal(a.initRequired, false);
        // ... and the validation parameter, which defaults to the channel's /Channel/Application/Endorsement
        assert.equal(a.validationParameter.length, 0);
        assert.deepEqual(protos.ApplicationPolicy.decode(a.validationParameter), {});
      }
    }

    const cea = cap.action;
    assert.ok(cea);
    const prp = rt(protos.ProposalResponsePayload, cea.proposalResponsePayload);
    const cca = rt(protos.ChaincodeAction, prp.extension);
    assert.equal(cca.chaincodeId?.name, want.chaincode);
    assert.equal(cca.chaincodeId?.version, want.chaincode_version);
    assert.equal(cca.response?.status, want.response.status);
    assert.equal(cca.response?.message, want.response.message);
    assert.equal(utf8(cca.response?.payload ?? new Uint8Array()), want.response.payload);
    assert.deepEqual(
      cea.endorsements.map((e) => identity(e.endorser)),
      want.endorsers.map((m, j) => ({ mspid: m, cn: want.endorser_identities[j] })),
    );
    for (const e of cea.endorsements) assert.ok(e.signature.length > 60);

    const txrw = rt(rwset.TxReadWriteSet, cca.results);
    assert.equal(txrw.dataModel, rwset.TxReadWriteSet_DataModel.KV);
    assert.deepEqual(
      txrw.nsRwset.map((n) => n.namespace),
      want.rwsets.map((n) => n.namespace),
    );
    txrw.nsRwset.forEach((ns, j) => {
      const w = want.rwsets[j]!;
      const kv = rt(kvrwset.KVRWSet, ns.rwset, `KVRWSet ${ns.namespace}`);
      assert.deepEqual(
        kv.reads.map((r) => ({
          key: r.key,
          version: r.version ? { block_num: r.version.blockNum, tx_num: r.version.txNum } : null,
        })),
        w.reads,
      );
      assert.deepEqual(
        kv.writes.map((x, k) =>
          w.writes[k]?.value_b64 !== undefined
            ? { key: x.key, is_delete: x.isDelete, value_b64: Buffer.from(x.value).toString('base64') }
            : { key: x.key, is_delete: x.isDelete, value: utf8(x.value) },
        ),
        w.writes,
      );
      if (ns.namespace === '_lifecycle') for (const x of kv.writes) lifecycleState(x.key, x.value);
      assert.deepEqual(
        kv.rangeQueriesInfo.map((q) => ({
          start_key: q.startKey,
          end_key: q.endKey,
          itr_exhausted: q.itrExhausted,
          kv_reads: (q.rawReads?.kvReads ?? []).map((r) => ({
            key: r.key,
            version: r.version ? { block_num: r.version.blockNum, tx_num: r.version.txNum } : null,
          })),
        })),
        w.range_queries ?? [],
      );
      for (const coll of ns.collectionHashedRwset) {
        const h = rt(kvrwset.HashedRWSet, coll.hashedRwset, `HashedRWSet ${coll.collectionName}`);
        assert.match(coll.collectionName, /^_implicit_org_Org[12]MSP$/);
        assert.ok(h.hashedWrites.length + h.hashedReads.length > 0);
      }
    });

    if (want.event) {
      const ev = rt(protos.ChaincodeEvent, cca.events);
      assert.equal(ev.chaincodeId, want.event.chaincode_id);
      assert.equal(ev.eventName, want.event.event_name);
      assert.equal(ev.txId, want.event.tx_id);
      assert.equal(utf8(ev.payload), want.event.payload);
    } else {
      assert.equal(cca.events.length, 0, `block ${number}: no event expected`);
    }
  });
}

function deepBlock(bytes: Uint8Array, want: FixtureBlock, peerCopy: boolean): void {
  const block = rt(common.Block, bytes);
  assert.ok(block.header && block.data && block.metadata);
  rt(common.BlockHeader, common.BlockHeader.encode(block.header));
  assert.equal(block.header.number, want.number);
  assert.equal(hex(block.header.previousHash), want.number === 0 ? '' : want.previous_hash);
  assert.equal(hex(block.header.dataHash), want.data_hash);
  assert.equal(block.data.data.length, want.transactions.length);
  assert.equal(block.metadata.metadata.length, 5);

  // metadata
  const sigs = rt(common.Metadata, block.metadata.metadata[common.BlockMetadataIndex.SIGNATURES]!);
  const obm = rt(common.OrdererBlockMetadata, sigs.value);
  assert.equal(obm.lastConfig?.index ?? 0, want.last_config_index);
  // the consenter metadata is a common.Metadata wrapping etcdraft's BlockMetadata (none in the genesis block)
  if (want.number === 0) assert.equal(obm.consenterMetadata.length, 0);
  else {
    const wrapped = rt(common.Metadata, obm.consenterMetadata);
    const raft = rt(etcdraft.BlockMetadata, wrapped.value);
    assert.deepEqual(raft.consenterIds, [1]);
    assert.equal(raft.nextConsenterId, 2);
    assert.ok(raft.raftIndex > 0);
  }
  assert.equal(sigs.signatures.length, want.number === 0 ? 0 : 1);
  for (const s of sigs.signatures) {
    const sh = rt(common.SignatureHeader, s.signatureHeader);
    assert.deepEqual(identity(sh.creator), { mspid: 'OrdererMSP', cn: 'orderer.example.com' });
  }
  const lastConfigBytes = block.metadata.metadata[common.BlockMetadataIndex.LAST_CONFIG]!;
  if (want.number === 0) assert.equal(lastConfigBytes.length, 0);
  else {
    const lc = rt(common.Metadata, lastConfigBytes);
    assert.equal(rt(common.LastConfig, lc.value).index, want.last_config_index);
  }
  const filter = block.metadata.metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER]!;
  const commitHash = block.metadata.metadata[common.BlockMetadataIndex.COMMIT_HASH]!;
  if (peerCopy) {
    assert.equal(hex(filter), want.transactions_filter_hex);
    assert.deepEqual(
      [...filter],
      want.transactions.map((t) => t.validation_code),
    );
    if (want.number > 0) assert.equal(hex(rt(common.Metadata, commitHash).value), want.commit_hash);
  } else {
    assert.equal(filter.length, 0);
    assert.equal(commitHash.length, 0);
  }

  block.data.data.forEach((envBytes, i) => {
    const tx = want.transactions[i]!;
    const env = rt(common.Envelope, envBytes);
    assert.ok(env.signature.length > 0 || want.number === 0);
    const payload = rt(common.Payload, env.payload);
    assert.ok(payload.header);
    rt(common.Header, common.Header.encode(payload.header));
    const ch = rt(common.ChannelHeader, payload.header.channelHeader);
    assert.equal(ch.type, tx.header_type);
    assert.equal(ch.txId, tx.tx_id);
    assert.equal(ch.channelId, tx.channel_id);
    assert.equal(rfc3339(ch.timestamp), tx.timestamp);
    const sh = rt(common.SignatureHeader, payload.header.signatureHeader);
    if (tx.creator_msp_id) {
      assert.deepEqual(identity(sh.creator), { mspid: tx.creator_msp_id, cn: tx.creator_identity });
    }
    if (ch.type === common.HeaderType.CONFIG) {
      const ce = rt(common.ConfigEnvelope, payload.data);
      assert.ok(ce.config?.channelGroup);
      assert.equal(ce.config.sequence, tx.config_sequence);
      rt(common.Config, common.Config.encode(ce.config));
      deepConfigGroup(ce.config.channelGroup, 'Channel');
      if (ce.lastUpdate) deepConfigUpdate(common.Envelope.encode(ce.lastUpdate), tx);
      else assert.equal(want.number, 0);
    } else {
      assert.equal(ch.type, common.HeaderType.ENDORSER_TRANSACTION);
      deepEndorserTx(ch, payload.data, tx, want.number);
    }
  });
}

function blockFiles(dir: string): { n: number; bytes: Buffer }[] {
  return readdirSync(join(fixtures, 'blocks', dir))
    .filter((f) => f.endsWith('.block'))
    .map((f) => ({
      n: Number(f.replace('.block', '')),
      bytes: readFileSync(join(fixtures, 'blocks', dir, f)),
    }))
    .sort((a, b) => a.n - b.n);
}

test('every committed block (peer copy) decodes deeply and re-encodes identically at every level', () => {
  const files = blockFiles('mychannel');
  assert.equal(files.length, 14);
  levels = 0;
  for (const { n, bytes } of files) deepBlock(bytes, expected.blocks[n]!, true);
  assert.ok(levels > 500, `checked ${levels} levels`);
  for (const v of [
    'MSP',
    'BatchSize',
    'BatchTimeout',
    'ConsensusType',
    'Capabilities',
    'Endpoints',
    'AnchorPeers',
    'HashingAlgorithm',
    'BlockDataHashingStructure',
  ]) {
    assert.ok(seenValues.has(v), `config value ${v} was seen`);
  }
});

test('every orderer copy decodes deeply and re-encodes identically', () => {
  const files = blockFiles('mychannel-orderer');
  assert.equal(files.length, 14);
  for (const { n, bytes } of files) deepBlock(bytes, expected.blocks[n]!, false);
});

test('the configtxlator JSON of each block agrees with our decode', () => {
  for (const { n, bytes } of blockFiles('mychannel')) {
    const json = JSON.parse(
      readFileSync(join(fixtures, 'blocks/mychannel-decoded', `${n}.json`), 'utf8'),
    ) as {
      header: { number: string; previous_hash: string | null; data_hash: string };
      metadata: { metadata: (string | null)[] };
      data: { data: { payload: { header: { channel_header: { tx_id: string; type: number } } } }[] };
    };
    const block = common.Block.decode(bytes);
    assert.equal(String(block.header?.number), json.header.number);
    assert.equal(Buffer.from(block.header!.dataHash).toString('base64'), json.header.data_hash);
    assert.equal(Buffer.from(block.header!.previousHash).toString('base64'), json.header.previous_hash ?? '');
    assert.deepEqual(
      block.metadata!.metadata.map((m) => Buffer.from(m).toString('base64')),
      json.metadata.metadata.map((m) => m ?? ''),
    );
    const txIds = block.data!.data.map((d) => {
      const p = common.Payload.decode(common.Envelope.decode(d).payload);
      return common.ChannelHeader.decode(p.header!.channelHeader).txId;
    });
    assert.deepEqual(
      txIds,
      json.data.data.map((d) => d.payload.header.channel_header.tx_id),
    );
  }
});

test('the genesis block and the anchor peer update envelope round-trip identically', () => {
  const genesis = readFileSync(join(fixtures, 'channel/mychannel-genesis.block'));
  assert.deepEqual(genesis, readFileSync(join(fixtures, 'blocks/mychannel-orderer/0.block')));
  deepBlock(genesis, expected.blocks[0]!, false);

  const anchors = readFileSync(join(fixtures, 'channel/Org1MSPanchors.tx'));
  const env = rt(common.Envelope, anchors);
  assert.equal(env.signature.length, 0);
  const payload = rt(common.Payload, env.payload);
  const ch = rt(common.ChannelHeader, payload.header!.channelHeader);
  assert.equal(ch.type, common.HeaderType.CONFIG_UPDATE);
  assert.equal(ch.channelId, 'mychannel');
  const cue = rt(common.ConfigUpdateEnvelope, payload.data);
  assert.equal(cue.signatures.length, 0);
  const update = rt(common.ConfigUpdate, cue.configUpdate);
  const org1 = update.writeSet?.groups['Application']?.groups['Org1MSP'];
  assert.ok(org1);
  assert.equal(org1.version, 1);
  assert.equal(org1.modPolicy, 'Admins');
  const ap = rt(protos.AnchorPeers, org1.values['AnchorPeers']!.value);
  assert.deepEqual(ap.anchorPeers, [{ host: '127.0.0.1', port: 28151 }]);
  // The read set names the same group at version 0 without the value.
  assert.equal(update.readSet?.groups['Application']?.groups['Org1MSP']?.version, 0);
});

test('block hashes chain: SHA-256 over the header DER matches the next previous_hash', async () => {
  const { createHash } = await import('node:crypto');
  const der = (h: common.BlockHeader): Buffer => {
    const len = (n: number): Buffer => (n < 128 ? Buffer.from([n]) : Buffer.from([0x81, n]));
    const intBytes = (v: number): Buffer => {
      const out: number[] = [];
      let x = v;
      do {
        out.unshift(x & 0xff);
        x = Math.floor(x / 256);
      } while (x > 0);
      if (out[0]! & 0x80) out.unshift(0);
      return Buffer.from(out);
    };
    const i = intBytes(h.number);
    const body = Buffer.concat([
      Buffer.from([0x02]),
      len(i.length),
      i,
      Buffer.from([0x04]),
      len(h.previousHash.length),
      Buffer.from(h.previousHash),
      Buffer.from([0x04]),
      len(h.dataHash.length),
      Buffer.from(h.dataHash),
    ]);
    return Buffer.concat([Buffer.from([0x30]), len(body.length), body]);
  };
  const files = blockFiles('mychannel');
  for (let n = 0; n + 1 < files.length; n++) {
    const h = common.Block.decode(files[n]!.bytes).header!;
    const next = common.Block.decode(files[n + 1]!.bytes).header!;
    assert.equal(createHash('sha256').update(der(h)).digest('hex'), hex(next.previousHash));
    const data = common.Block.decode(files[n]!.bytes).data!.data;
    assert.equal(createHash('sha256').update(Buffer.concat(data)).digest('hex'), hex(h.dataHash));
  }
});
