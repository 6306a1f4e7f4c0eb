// A Fabric network per test file: an in-memory fabric-peer (with its embedded orderer and channel),
// the contract run in process, and the real @hyperledger/fabric-gateway client talking to it.
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import {
  connect,
  type Contract,
  type Gateway,
  type Network,
  hash,
  signers,
} from '@hyperledger/fabric-gateway';
import { createPeer, type Peer } from '@fabric-peer/core';
import { AssetTransferContract } from 'asset-transfer/contract';

let peer: Peer;
let client: grpc.Client;
let gateway: Gateway;
let network: Network;
let contract: Contract;

beforeAll(async () => {
  peer = await createPeer(
    {},
    { inMemory: true, chaincodes: { basic: { contracts: [AssetTransferContract] } } },
  );
  await peer.start();

  const { connectionProfile, user, channelId } = peer.devNetwork!;
  const { url, tlsCACerts } = Object.values(connectionProfile.peers)[0]!;
  client = new grpc.Client(
    url.replace('grpcs://', ''),
    grpc.credentials.createSsl(Buffer.from(tlsCACerts.pem)),
  );
  // start() has defined `basic` on the channel (approve + commit as Org1's admin): connect as User1.
  gateway = connect({
    client,
    identity: { mspId: user.mspId, credentials: Buffer.from(user.certificate) },
    signer: signers.newPrivateKeySigner(createPrivateKey(user.privateKey)),
    hash: hash.sha256,
  });
  network = gateway.getNetwork(channelId);
  contract = network.getContract('basic');
});

afterAll(async () => {
  gateway?.close();
  client?.close();
  await peer?.stop();
});

const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString());

test('creates an asset and reads it back', async () => {
  await contract.submitTransaction('CreateAsset', 'asset1', 'blue', '5', 'Tomoko', '300');

  expect(json(await contract.evaluateTransaction('ReadAsset', 'asset1'))).toEqual({
    ID: 'asset1',
    Color: 'blue',
    Size: 5,
    Owner: 'Tomoko',
    AppraisedValue: 300,
  });
});

test('transfers an asset to a new owner', async () => {
  const oldOwner = await contract.submitTransaction('TransferAsset', 'asset1', 'Max');

  expect(Buffer.from(oldOwner).toString()).toBe('Tomoko');
  expect(json(await contract.evaluateTransaction('ReadAsset', 'asset1'))).toMatchObject({ Owner: 'Max' });
});

test('refuses to create an asset twice', async () => {
  await expect(
    contract.submitTransaction('CreateAsset', 'asset1', 'red', '1', 'Eve', '1'),
  ).rejects.toMatchObject({
    details: [
      expect.objectContaining({ message: expect.stringContaining('the asset asset1 already exists') }),
    ],
  });
});

test('emits a chaincode event when an asset is deleted', async () => {
  const events = await network.getChaincodeEvents('basic');
  try {
    const deleted = (async () => {
      for await (const event of events) if (event.eventName === 'DeleteAsset') return json(event.payload);
    })();

    await contract.submitTransaction('DeleteAsset', 'asset1');

    expect(await deleted).toMatchObject({ ID: 'asset1', Owner: 'Max' });
    expect(json(await contract.evaluateTransaction('GetAllAssets'))).toEqual([]);
  } finally {
    events.close();
  }
});
