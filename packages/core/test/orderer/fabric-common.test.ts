/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-common 2.2 ships no types */
// The real fabric-common 2.2.20 clients drive the embedded orderer over gRPC with TLS: its Committer
// (Broadcast: one envelope, half-close, one response) and its Eventer pointed at AtomicBroadcast/Deliver.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { createGenesisBlock, makeChannelHeader, makeSignatureHeader } from '../../src/configtx/index.js';
import { EmbeddedOrderer } from '../../src/orderer/index.js';
import { CRYPTO, ORG1, genesis, ordererSigner, ordererTls, ordererTlsCa } from './helpers.js';

const require = createRequire(import.meta.url);
const fc = require('fabric-common');

function fabricUser(dir: string, name: string): unknown {
  const cert = readFileSync(join(dir, `signcerts/${name}-cert.pem`), 'utf8');
  const key = readFileSync(join(dir, 'keystore/priv_sk'), 'utf8');
  return fc.User.createUser(name, '', 'Org1MSP', cert, key);
}

/** An envelope made and signed by fabric-common's IdentityContext (creator, nonce, tx id, signature). */
function envelopeFrom(idc: any, channel: string, data: Buffer): { payload: Buffer; signature: Buffer } {
  const tx = idc.calculateTransactionId();
  const payload = Buffer.from(
    common.Payload.encode({
      header: {
        channelHeader: common.ChannelHeader.encode(
          makeChannelHeader(common.HeaderType.ENDORSER_TRANSACTION, channel, { txId: tx.transactionId }),
        ),
        signatureHeader: common.SignatureHeader.encode(makeSignatureHeader(tx.serializeIdentity(), tx.nonce)),
      },
      data,
    }),
  );
  return { payload, signature: tx.sign(payload) };
}

describe('embedded orderer with the real fabric-common clients', () => {
  let orderer: EmbeddedOrderer;
  let client: any;
  let idc: any;
  let committer: any;

  before(async () => {
    orderer = new EmbeddedOrderer({
      listenAddress: '127.0.0.1:0',
      tls: ordererTls(),
      signer: await ordererSigner(),
      batchTimeoutMs: 10,
      genesisBlocks: [genesis()],
    });
    await orderer.start();
    // A second channel whose AbsoluteMaxBytes is small, for the oversized envelope.
    const profile = {
      orderer: {
        ordererType: 'solo' as const,
        batchTimeout: '10ms',
        batchSize: { maxMessageCount: 10, absoluteMaxBytes: 4096, preferredMaxBytes: 2048 },
        organizations: [
          {
            name: 'OrdererOrg',
            mspId: 'OrdererMSP',
            msp: { dir: join(CRYPTO, 'ordererOrganizations/example.com/msp') },
          },
        ],
      },
      application: {
        organizations: [{ name: 'Org1MSP', mspId: 'Org1MSP', msp: { dir: join(ORG1, 'msp') } }],
      },
    };
    await orderer.join(await createGenesisBlock('small', profile));
    client = fc.Client.newClient('test');
    idc = client.newIdentityContext(
      fabricUser(join(ORG1, 'users/User1@org1.example.com/msp'), 'User1@org1.example.com'),
    );
    const endpoint = client.newEndpoint({
      url: `grpcs://localhost:${orderer.port}`,
      pem: ordererTlsCa().toString(),
      'ssl-target-name-override': 'orderer.example.com',
    });
    committer = client.newCommitter('orderer.example.com', 'OrdererMSP');
    await committer.connect(endpoint);
  });
  after(async () => {
    committer?.disconnect();
    await orderer.stop();
  });

  it('Committer.sendBroadcast gets SUCCESS and the block arrives through the Eventer', async () => {
    const resp = await committer.sendBroadcast(envelopeFrom(idc, 'mychannel', Buffer.alloc(0)), 5000);
    assert.equal(resp.status, 'SUCCESS');

    const channel = client.newChannel('mychannel');
    const eventer = client.newEventer('orderer.example.com');
    // fabric-common's Eventer speaks Deliver; pointed at the orderer's service it reads orderer blocks.
    eventer.serviceClass = require('fabric-protos').services.orderer.AtomicBroadcast;
    await eventer.connect(
      client.newEndpoint({
        url: `grpcs://localhost:${orderer.port}`,
        pem: ordererTlsCa().toString(),
        'ssl-target-name-override': 'orderer.example.com',
      }),
    );
    const es = channel.newEventService('es');
    es.setTargets([eventer]);
    es.build(idc, { blockType: 'full', startBlock: 0 });
    es.sign(idc);
    const blocks: number[] = [];
    const got = new Promise<void>((resolve, reject) => {
      es.registerBlockListener(
        (err: Error | null, event: any) => {
          if (err) return reject(err);
          blocks.push(Number(event.blockNumber.toString()));
          if (blocks.includes(1)) resolve();
        },
        { startBlock: 0 },
      );
    });
    await es.send({ targets: [eventer] });
    await got;
    assert.deepEqual(blocks.slice(0, 2), [0, 1]);
    es.close();
    eventer.disconnect();
  });

  it('answers BAD_REQUEST / FORBIDDEN over gRPC and the stream stays usable', async () => {
    const unknown = await committer.sendBroadcast(envelopeFrom(idc, 'nochannel', Buffer.from('x')), 5000);
    assert.equal(unknown.status, 'BAD_REQUEST');
    const big = await committer.sendBroadcast(envelopeFrom(idc, 'small', Buffer.alloc(8192)), 5000);
    assert.equal(big.status, 'BAD_REQUEST');
    assert.match(big.info, /exceeds maximum allowed 4096 bytes/);
    const e = envelopeFrom(idc, 'mychannel', Buffer.from('y'));
    e.signature = Buffer.from(e.signature).fill(1, 8, 16);
    const forged = await committer.sendBroadcast(e, 5000);
    assert.equal(forged.status, 'FORBIDDEN');
    const ok = await committer.sendBroadcast(envelopeFrom(idc, 'small', Buffer.from('z')), 5000);
    assert.equal(ok.status, 'SUCCESS');
  });
});
