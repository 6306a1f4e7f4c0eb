// protos.Admin (the CLI's `peer logging ...`): signed envelopes from a local MSP admin only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { common, protos } from '@fabric-peer/protos';
import type { Peer } from '../../src/index.js';
import { adminOrg1, credentials, startPeer, type Signer, userOrg1 } from '../peer/harness.js';

const AdminClient = grpc.makeGenericClientConstructor(protos.AdminService, 'Admin');
type Unary = (env: common.Envelope, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => void;

function envelope(
  signer: Signer,
  op: protos.AdminOperation = protos.AdminOperation.create(),
): common.Envelope {
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode({
        type: common.HeaderType.MESSAGE,
        timestamp: { seconds: Math.floor(Date.now() / 1000) },
      }),
      signatureHeader: common.SignatureHeader.encode({ creator: signer.serialize(), nonce: randomBytes(24) }),
    },
    data: protos.AdminOperation.encode(op),
  });
  return common.Envelope.create({ payload, signature: signer.sign(payload) });
}

describe('Admin service', () => {
  let peer: Peer;
  let client: grpc.Client & Record<string, Unary>;
  let admin: Signer;

  before(async () => {
    peer = await startPeer();
    client = new AdminClient(peer.address, credentials(false)) as unknown as grpc.Client &
      Record<string, Unary>;
    admin = await adminOrg1();
  });
  after(async () => {
    client.close();
    await peer.stop();
  });

  const call = <T>(method: string, env: common.Envelope): Promise<T> =>
    new Promise((resolve, reject) =>
      client[method]!(env, (err, res) => (err ? reject(err) : resolve(res as T))),
    );

  it('GetStatus answers STARTED', async () => {
    const s = await call<protos.ServerStatus>('getStatus', envelope(admin));
    assert.equal(s.status, protos.ServerStatus_StatusCode.STARTED);
  });

  it('get / set / revert module log levels and the log spec', async () => {
    const logReq = (logModule: string, logLevel = ''): protos.AdminOperation =>
      protos.AdminOperation.create({ logReq: { logModule, logLevel } });
    let r = await call<protos.LogLevelResponse>('getModuleLogLevel', envelope(admin, logReq('endorser')));
    assert.equal(r.logLevel, 'ERROR');
    r = await call<protos.LogLevelResponse>(
      'setModuleLogLevel',
      envelope(admin, logReq('endorser', 'debug')),
    );
    assert.deepEqual([r.logModule, r.logLevel], ['endorser', 'DEBUG']);
    assert.equal(peer.logging.moduleLevel('endorser'), 'debug');
    let spec = await call<protos.LogSpecResponse>('getLogSpec', envelope(admin));
    assert.match(spec.logSpec, /endorser=debug/);
    await call('revertLogLevels', envelope(admin));
    assert.equal(peer.logging.moduleLevel('endorser'), 'error');
    spec = await call<protos.LogSpecResponse>(
      'setLogSpec',
      envelope(admin, protos.AdminOperation.create({ logSpecReq: { logSpec: 'warn:gossip=debug' } })),
    );
    assert.equal(spec.error, '');
    assert.equal(peer.logging.moduleLevel('gossip'), 'debug');
    spec = await call<protos.LogSpecResponse>(
      'setLogSpec',
      envelope(admin, protos.AdminOperation.create({ logSpecReq: { logSpec: 'a=b=c' } })),
    );
    assert.notEqual(spec.error, '');
    assert.equal(peer.logging.moduleLevel('gossip'), 'debug', 'a bad spec changes nothing');
  });

  it('refuses a client (not an admin), a bad signature and a malformed envelope', async () => {
    const user = await userOrg1();
    await assert.rejects(call('getStatus', envelope(user)), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.PERMISSION_DENIED);
      assert.match(err.details, /not an admin of the local MSP \[Org1MSP\]/);
      return true;
    });
    const forged = envelope(admin);
    forged.signature = envelope(admin).signature;
    await assert.rejects(
      call('getStatus', forged),
      (err: grpc.ServiceError) => err.code === grpc.status.PERMISSION_DENIED,
    );
    await assert.rejects(
      call('getStatus', common.Envelope.create({ payload: new Uint8Array([0xff, 0xff]) })),
      (err: grpc.ServiceError) => err.code === grpc.status.INVALID_ARGUMENT,
    );
    const s = await call<protos.ServerStatus>('getStatus', envelope(admin));
    assert.equal(s.status, protos.ServerStatus_StatusCode.STARTED);
  });
});
