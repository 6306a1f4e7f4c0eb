// User chaincode end to end: the fixture channel's blocks 1..13 define `asset` 1.0 through
// _lifecycle, the fixture's own contract source runs in process (fabric-contract-api 2.5.8), and
// ProcessProposal reads the world state Fabric built and endorses a write with its chaincode event.
// (Requests use the peer's codecs: see peer/own-codec.ts for why not fabric-protos 0.3.7 here.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { MSP } from '@fabric-peer/msp';
import { common, kvrwset, protos, rwset } from '@fabric-peer/protos';
import { createPeer, LoggingSystem, type Peer } from '../../src/index.js';
import { ownEndorser, ownSignedProposal, type OwnSigner } from '../peer/own-codec.js';

const FIXTURE = fileURLToPath(new URL('../../../../test/fixtures/fabric-2.5.12/', import.meta.url));
const ORG1 = join(FIXTURE, 'crypto/peerOrganizations/org1.example.com');
const block = (path: string): common.Block => common.Block.decode(readFileSync(join(FIXTURE, path)));

/** The fixture contract's CommonJS source, evaluated with this package's fabric-contract-api. */
function fixtureContracts(): unknown[] {
  const src = readFileSync(join(FIXTURE, 'chaincode/src/index.js'), 'utf8');
  const mod = { exports: {} as { contracts?: unknown[] } };
  new Function('require', 'module', 'exports', src)(createRequire(import.meta.url), mod, mod.exports);
  return mod.exports.contracts!;
}

const action = (r: protos.ProposalResponse): protos.ChaincodeAction =>
  protos.ChaincodeAction.decode(protos.ProposalResponsePayload.decode(r.payload).extension);

describe('Endorser with user chaincode (in process)', () => {
  let peer: Peer;
  let client: ReturnType<typeof ownEndorser>;
  let user: OwnSigner;

  before(async () => {
    peer = await createPeer(
      {
        peer: {
          localMspId: 'Org1MSP',
          mspConfigPath: join(ORG1, 'peers/peer0.org1.example.com/msp'),
          listenAddress: '127.0.0.1:0',
          fileSystemPath: mkdtempSync(join(tmpdir(), 'unused-')),
        },
        operations: { listenAddress: '127.0.0.1:0' },
      },
      {
        inMemory: true,
        pullBlocks: false,
        logging: new LoggingSystem({ spec: 'error', writer: { write: () => true } }),
        chaincodes: { asset: { contracts: fixtureContracts() } },
      },
    );
    await peer.start();
    await peer.joinChannel(block('channel/mychannel-genesis.block'));
    for (let n = 1; n <= 13; n++)
      await peer.commitBlock('mychannel', block(`blocks/mychannel-orderer/${n}.block`));
    client = ownEndorser(peer.address);
    user = (
      await MSP.fromFolder(join(ORG1, 'users/User1@org1.example.com/msp'), 'Org1MSP')
    ).getSigningIdentity();
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  it('evaluates Get on the state Fabric committed', async () => {
    const r = await client.call(ownSignedProposal('mychannel', 'asset', ['Get', 'asset1'], user));
    assert.equal(r.response!.status, 200, r.response!.message);
    assert.deepEqual(JSON.parse(Buffer.from(r.response!.payload).toString()), {
      color: 'blue',
      owner: 'jerry',
      size: 5,
    });
    assert.deepEqual([action(r).chaincodeId!.name, action(r).chaincodeId!.version], ['asset', '1.0']);
  });

  it('endorses Put: write set, chaincode event, signature', async () => {
    const r = await client.call(ownSignedProposal('mychannel', 'asset', ['Put', 'k9', 'v9'], user));
    assert.equal(r.response!.status, 200, r.response!.message);
    assert.ok(r.endorsement);
    const a = action(r);
    const ns = rwset.TxReadWriteSet.decode(a.results).nsRwset.find((n) => n.namespace === 'asset')!;
    assert.deepEqual(
      kvrwset.KVRWSet.decode(ns.rwset).writes.map((w) => [w.key, Buffer.from(w.value).toString()]),
      [['k9', 'v9']],
    );
    const ev = protos.ChaincodeEvent.decode(a.events);
    assert.deepEqual([ev.chaincodeId, ev.eventName], ['asset', 'Put']);
  });

  it('a chaincode error is not endorsed: status 500 and its message come back', async () => {
    const r = await client.call(ownSignedProposal('mychannel', 'asset', ['Get', 'nokey'], user));
    assert.equal(r.response!.status, 500);
    assert.match(r.response!.message, /key nokey does not exist/);
    assert.equal(r.endorsement, undefined);
  });
});
