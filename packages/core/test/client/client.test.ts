// The client module against a stand-in peer/orderer: what it sends (_lifecycle arguments, proposals,
// transactions) and what it prints (Go's text and --output json, byte-equal to the Fabric fixtures).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { common, lifecycle, protos } from '@fabric-peer/protos';
import { MSP } from '@fabric-peer/msp';
import {
  OrdererClient,
  PeerClient,
  approveForMyOrg,
  checkCommitReadiness,
  definitionArgs,
  formatResponse,
  installChaincode,
  invokeChaincode,
  lifecycleFormat,
  parseChaincodeInput,
  parseTransient,
  queryCommitted,
  queryInstalled,
} from '../../src/client/index.js';
import { startFakePeer, type FakePeer } from './fakepeer.js';

const fx = (p: string): string =>
  new URL(`../../../../test/fixtures/fabric-2.5.12/${p}`, import.meta.url).pathname;
const ok = (payload: Uint8Array): protos.Response => protos.Response.create({ status: 200, payload });
const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('client against a stand-in peer', () => {
  let fake: FakePeer;
  let peer: PeerClient;
  let ord: OrdererClient;
  before(async () => {
    const msp = await MSP.fromFolder(
      fx('crypto/peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp'),
      'Org1MSP',
    );
    const signer = msp.getSigningIdentity();
    fake = await startFakePeer(() => ok(new Uint8Array()));
    peer = await PeerClient.connect({ address: fake.address }, signer);
    ord = await OrdererClient.connect({ address: fake.address }, signer);
  });
  after(async () => {
    peer?.close();
    ord?.close();
    await fake?.stop();
  });

  it('install sends InstallChaincodeArgs to _lifecycle on no channel and returns the package id', async () => {
    const pkg = readFileSync(fx('chaincode/asset_1.0.tar.gz'));
    fake.answer = () =>
      ok(lifecycle.InstallChaincodeResult.encode({ packageId: 'asset_1.0:5c79', label: 'asset_1.0' }));
    const r = await installChaincode(peer, pkg);
    assert.equal(r.packageId, 'asset_1.0:5c79');
    assert.equal(
      lifecycleFormat.installedRemotely(r),
      'Installed remotely: response:{status:200 payload:"\\n\\x0easset_1.0:5c79\\x12\\tasset_1.0"}',
    );
    const s = fake.seen.at(-1)!;
    assert.equal(s.chaincode, '_lifecycle');
    assert.equal(s.channelId, '');
    assert.equal(utf8(s.args[0]!), 'InstallChaincode');
    assert.deepEqual(
      Buffer.from(lifecycle.InstallChaincodeArgs.decode(s.args[1]!).chaincodeInstallPackage),
      pkg,
    );
  });

  it('queryinstalled prints Go text and --output json', async () => {
    fake.answer = () =>
      ok(
        lifecycle.QueryInstalledChaincodesResult.encode({
          installedChaincodes: [{ packageId: 'asset_1.0:5c79', label: 'asset_1.0', references: {} }],
        }),
      );
    const r = await queryInstalled(peer);
    assert.equal(
      lifecycleFormat.installedText(r),
      'Installed chaincodes on peer:\nPackage ID: asset_1.0:5c79, Label: asset_1.0',
    );
    assert.equal(
      lifecycleFormat.installedJson(r),
      '{\n\t"installed_chaincodes": [\n\t\t{\n\t\t\t"package_id": "asset_1.0:5c79",\n\t\t\t"label": "asset_1.0"\n\t\t}\n\t]\n}',
    );
  });

  it('checkcommitreadiness and querycommitted --output json are byte-equal to the Fabric 2.5 fixtures', async () => {
    const d = definitionArgs({ name: 'asset', version: '1.0', sequence: 1 });
    fake.answer = () =>
      ok(lifecycle.CheckCommitReadinessResult.encode({ approvals: { Org2MSP: true, Org1MSP: true } }));
    const ready = await checkCommitReadiness(peer, 'mychannel', d);
    assert.equal(
      `${lifecycleFormat.readinessJson(ready)}\n`,
      readFileSync(fx('chaincode/checkcommitreadiness.json'), 'utf8'),
    );
    assert.equal(
      lifecycleFormat.readinessText('asset', '1.0', 1, 'mychannel', ready),
      "Chaincode definition for chaincode 'asset', version '1.0', sequence '1' on channel 'mychannel' approval status by org:\nOrg1MSP: true\nOrg2MSP: true",
    );
    const sent = lifecycle.CheckCommitReadinessArgs.decode(fake.seen.at(-1)!.args[1]!);
    assert.equal(
      Buffer.from(sent.validationParameter).toString('base64'),
      'EiAvQ2hhbm5lbC9BcHBsaWNhdGlvbi9FbmRvcnNlbWVudA==',
    );
    fake.answer = () =>
      ok(
        lifecycle.QueryChaincodeDefinitionResult.encode({
          ...d,
          collections: { config: [] },
          approvals: { Org1MSP: true, Org2MSP: true },
        }),
      );
    const c = await queryCommitted(peer, 'mychannel', 'asset');
    const fixture = readFileSync(fx('chaincode/querycommitted.json'), 'utf8');
    assert.equal(`${lifecycleFormat.committedJson(c)}\n`, fixture.slice(0, fixture.indexOf('}\n{') + 2));
  });

  it('approveformyorg endorses, broadcasts the signed transaction and waits for VALID', async () => {
    fake.answer = () => ok(new Uint8Array());
    fake.txCode = protos.TxValidationCode.VALID;
    const committed: string[] = [];
    const d = definitionArgs({
      name: 'asset',
      version: '1.0',
      sequence: 1,
      signaturePolicy: "OR('Org1MSP.member')",
    });
    const txId = await approveForMyOrg([peer], ord, 'mychannel', d, 'asset_1.0:5c79', {
      waitForEvent: true,
      onCommitted: (t, st) => committed.push(`${t} ${st}`),
    });
    assert.deepEqual(committed, [`${txId} VALID`]);
    const args = lifecycle.ApproveChaincodeDefinitionForMyOrgArgs.decode(fake.seen.at(-1)!.args[1]!);
    assert.equal(args.source?.localPackage?.packageId, 'asset_1.0:5c79');
    assert.ok(protos.ApplicationPolicy.decode(args.validationParameter).signaturePolicy);
    const env = fake.broadcasts.at(-1)!;
    const payload = common.Payload.decode(env.payload);
    assert.equal(common.ChannelHeader.decode(payload.header!.channelHeader).txId, txId);
    const tx = protos.Transaction.decode(payload.data);
    const cap = protos.ChaincodeActionPayload.decode(tx.actions[0]!.payload);
    assert.equal(cap.action!.endorsements.length, 1);
  });

  it('invoke: the transient map is sent for endorsement but left off the ledger; an invalid commit is an error', async () => {
    fake.answer = () => ok(Buffer.from('done'));
    fake.txCode = protos.TxValidationCode.MVCC_READ_CONFLICT;
    const transient = parseTransient('{"secret":"c2VjcmV0"}')!;
    await assert.rejects(
      invokeChaincode([peer], ord, {
        channelId: 'mychannel',
        chaincode: 'asset',
        args: parseChaincodeInput('{"Args":["Put","a","b"]}'),
        transient,
        waitForEvent: true,
      }),
      /status is not valid: MVCC_READ_CONFLICT/,
    );
    assert.equal(utf8(fake.seen.at(-1)!.transient.secret!), 'secret');
    const payload = common.Payload.decode(fake.broadcasts.at(-1)!.payload);
    const cap = protos.ChaincodeActionPayload.decode(
      protos.Transaction.decode(payload.data).actions[0]!.payload,
    );
    assert.deepEqual(protos.ChaincodeProposalPayload.decode(cap.chaincodeProposalPayload).transientMap, {});
    fake.txCode = protos.TxValidationCode.VALID;
    const r = await invokeChaincode([peer], ord, {
      channelId: 'mychannel',
      chaincode: 'asset',
      args: [Buffer.from('x')],
      isInit: true,
    });
    assert.equal(formatResponse(r.response), 'status:200 payload:"done"');
    assert.equal(fake.seen.at(-1)!.isInit, true);
  });

  it('an endorsement failure prints the response as Go does', async () => {
    fake.answer = () => protos.Response.create({ status: 500, message: 'no "asset"\n' });
    await assert.rejects(
      invokeChaincode([peer], ord, { channelId: 'mychannel', chaincode: 'asset', args: [] }),
      { message: 'endorsement failure during invoke. response: status:500 message:"no \\"asset\\"\\n"' },
    );
  });
});

describe('client parsing and formats', () => {
  it('-c takes {"Args":[...]} and {"function":...,"Args":[...]}, keys in any case, as Go', () => {
    assert.deepEqual(parseChaincodeInput('{"Args":["a","b"]}').map(utf8), ['a', 'b']);
    assert.deepEqual(parseChaincodeInput('{"function":"f","Args":["x"]}').map(utf8), ['f', 'x']);
    assert.deepEqual(parseChaincodeInput('{"args":["y"]}').map(utf8), ['y']);
    assert.deepEqual(parseChaincodeInput('{}'), []);
  });

  it('formatResponse escapes bytes as protobuf-go text', () => {
    const r = (payload: Uint8Array): string =>
      formatResponse(protos.Response.create({ status: 200, payload }));
    assert.equal(r(Buffer.from('{"a":1}')), 'status:200 payload:"{\\"a\\":1}"');
    assert.equal(r(new Uint8Array([0, 1, 0x0a, 0xff, 0x7f])), 'status:200 payload:"\\x00\\x01\\n\\xff\\x7f"');
    assert.equal(r(Buffer.from('héllo')), 'status:200 payload:"héllo"');
    assert.equal(formatResponse(protos.Response.create({ status: 200 })), 'status:200');
  });

  it('definition flags: both policies refused, collections parsed, required fields named', () => {
    assert.throws(
      () =>
        definitionArgs({
          name: 'a',
          version: '1',
          sequence: 1,
          signaturePolicy: "OR('A.member')",
          channelConfigPolicy: '/x',
        }),
      /cannot specify both/,
    );
    assert.throws(() => definitionArgs({ name: 'a', version: '', sequence: 1 }), /'version' is empty/);
    assert.throws(() => definitionArgs({ name: 'a', version: '1', sequence: 0 }), /'sequence' is empty/);
    const d = definitionArgs({
      name: 'a',
      version: '1',
      sequence: 2,
      collectionsConfig: JSON.stringify([
        {
          name: 'c',
          policy: "OR('Org1MSP.member')",
          requiredPeerCount: 0,
          maxPeerCount: 3,
          blockToLive: 0,
          memberOnlyRead: true,
        },
      ]),
    });
    assert.equal(d.collections?.config[0]?.staticCollectionConfig?.maximumPeerCount, 3);
    assert.equal(d.endorsementPlugin, 'escc');
    assert.equal(d.validationPlugin, 'vscc');
  });
});

describe('legacy lscc through the client', () => {
  it('install sends a ChaincodeDeploymentSpec; list prints Go lines', async () => {
    const { legacyInstall, legacyList } = await import('../../src/client/index.js');
    const msp = await MSP.fromFolder(
      fx('crypto/peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp'),
      'Org1MSP',
    );
    const fake = await startFakePeer(() => ok(Buffer.from('OK')));
    const peer = await PeerClient.connect({ address: fake.address }, msp.getSigningIdentity());
    try {
      const r = await legacyInstall(
        peer,
        { name: 'asset', version: '1.0', path: 'src', lang: 'node' },
        fx('chaincode'),
      );
      assert.equal(formatResponse(r), 'status:200 payload:"OK"');
      const s = fake.seen.at(-1)!;
      assert.equal(s.chaincode, 'lscc');
      const cds = protos.ChaincodeDeploymentSpec.decode(s.args[1]!);
      assert.equal(cds.chaincodeSpec?.chaincodeId?.name, 'asset');
      assert.equal(cds.chaincodeSpec?.type, protos.ChaincodeSpec_Type.NODE);
      assert.ok(cds.codePackage.length > 0);
      fake.answer = () =>
        ok(
          protos.ChaincodeQueryResponse.encode({
            chaincodes: [
              {
                name: 'asset',
                version: '1.0',
                path: 'src',
                escc: 'escc',
                vscc: 'vscc',
                id: new Uint8Array([0xab]),
              },
            ],
          }),
        );
      assert.equal(
        await legacyList(peer, 'instantiated', 'mychannel'),
        'Get instantiated chaincodes on channel mychannel:\nName: asset, Version: 1.0, Path: src, Escc: escc, Vscc: vscc, Id: ab',
      );
    } finally {
      peer.close();
      await fake.stop();
    }
  });
});

describe('--output json with collections (Go encoding/json of the protobuf structs)', () => {
  it('oneofs become {"Payload":{"StaticCollectionConfig":...}} and {"Type":{"SignedBy":0}}, zero values left out', () => {
    const d = definitionArgs({
      name: 'private',
      version: '1',
      sequence: 1,
      collectionsConfig: JSON.stringify([
        {
          name: 'assetCollection',
          policy: "OR('Org1MSP.member')",
          requiredPeerCount: 1,
          maxPeerCount: 1,
          blockToLive: 1000000,
          memberOnlyRead: true,
          endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Org1MSP/Endorsement' },
        },
      ]),
    });
    const json = JSON.parse(
      lifecycleFormat.committedJson(lifecycle.QueryChaincodeDefinitionResult.create({ ...d, approvals: {} })),
    ) as { collections: { config: { Payload: { StaticCollectionConfig: Record<string, unknown> } }[] } };
    const c = json.collections.config[0]!.Payload.StaticCollectionConfig;
    assert.equal(c.name, 'assetCollection');
    assert.equal(c.required_peer_count, 1);
    assert.equal(c.block_to_live, 1000000);
    assert.equal(c.member_only_read, true);
    assert.equal(c.member_only_write, undefined);
    assert.deepEqual(c.endorsement_policy, {
      Type: { ChannelConfigPolicyReference: '/Channel/Application/Org1MSP/Endorsement' },
    });
    const mp = c.member_orgs_policy as {
      Payload: { SignaturePolicy: { rule: unknown; identities: { principal: string }[] } };
    };
    assert.deepEqual(mp.Payload.SignaturePolicy.rule, {
      Type: { NOutOf: { n: 1, rules: [{ Type: { SignedBy: 0 } }] } },
    });
    assert.equal(mp.Payload.SignaturePolicy.identities.length, 1);
  });
});

describe('invoke when the orderer refuses', () => {
  it('the commit waits opened before the broadcast end quietly when it fails', async () => {
    const msp = await MSP.fromFolder(
      fx('crypto/peerOrganizations/org1.example.com/users/Admin@org1.example.com/msp'),
      'Org1MSP',
    );
    const fake = await startFakePeer(() => ok(new Uint8Array()));
    const peer = await PeerClient.connect({ address: fake.address }, msp.getSigningIdentity());
    const dead = await startFakePeer(() => ok(new Uint8Array()));
    const ord = await OrdererClient.connect({ address: dead.address }, msp.getSigningIdentity());
    await dead.stop();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await assert.rejects(
        invokeChaincode([peer], ord, {
          channelId: 'mychannel',
          chaincode: 'asset',
          args: [],
          waitForEvent: true,
        }),
        { code: 'CLIENT_RPC_FAILED' },
      );
      peer.close();
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      ord.close();
      await fake.stop();
    }
  });
});
