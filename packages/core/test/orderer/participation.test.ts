// The channel participation API as osnadmin calls it: mutual TLS, multipart join, JSON list/info,
// DELETE, and Fabric's status codes for bad requests.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { common } from '@fabric-peer/protos';
import { type DevNetwork, createDevOrderer, ensureDevNetwork } from '../../src/devnet/index.js';
import { type EmbeddedOrderer, PARTICIPATION_PATH } from '../../src/orderer/index.js';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

describe('channel participation API', () => {
  let net: DevNetwork;
  let orderer: EmbeddedOrderer;

  const call = (
    method: string,
    path: string,
    body?: Buffer,
    contentType?: string,
    withCert = true,
  ): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const [host, port] = orderer.adminAddress!.split(':');
      const ordererNode = net.crypto!.ordererOrg.nodes[0]!;
      const req = request(
        {
          host,
          port: Number(port),
          method,
          path,
          ca: net.ordererTlsCa,
          servername: 'orderer.example.com',
          ...(withCert && { cert: ordererNode.tls.certificate, key: ordererNode.tls.privateKey }),
          headers: contentType ? { 'Content-Type': contentType } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              body: Buffer.concat(chunks).toString(),
              headers: res.headers,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const join = (block: Uint8Array): Promise<Reply> => {
    const boundary = 'd3a9f0c4b1e2';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="config-block"; filename="config.block"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(block),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return call('POST', PARTICIPATION_PATH, body, `multipart/form-data; boundary=${boundary}`);
  };

  before(async () => {
    net = await ensureDevNetwork({ inMemory: true });
    orderer = createDevOrderer({ ...net, orderer: { ...net.orderer, genesisBlocks: [] } });
    await orderer.start();
  });
  after(() => orderer.stop());

  it('lists no channels, joins with a genesis block, lists and shows it, removes it', async () => {
    const empty = await call('GET', PARTICIPATION_PATH);
    assert.equal(empty.status, 200);
    assert.deepEqual(JSON.parse(empty.body), { systemChannel: null, channels: null });

    const joined = await join(common.Block.encode(net.genesisBlock));
    assert.equal(joined.status, 201, joined.body);
    assert.equal(joined.headers.location, '/participation/v1/channels/mychannel');
    assert.match(String(joined.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(joined.body), {
      name: 'mychannel',
      url: '/participation/v1/channels/mychannel',
      consensusRelation: 'consenter',
      status: 'active',
      height: 1,
    });
    const list = JSON.parse((await call('GET', PARTICIPATION_PATH)).body);
    assert.deepEqual(list.channels, [{ name: 'mychannel', url: '/participation/v1/channels/mychannel' }]);
    const one = await call('GET', `${PARTICIPATION_PATH}/mychannel`);
    assert.equal(JSON.parse(one.body).height, 1);

    const again = await join(common.Block.encode(net.genesisBlock));
    assert.equal(again.status, 405);
    assert.deepEqual(JSON.parse(again.body), { error: 'cannot join: channel already exists' });

    assert.equal((await call('DELETE', `${PARTICIPATION_PATH}/mychannel`)).status, 204);
    const gone = await call('GET', `${PARTICIPATION_PATH}/mychannel`);
    assert.equal(gone.status, 404);
    assert.deepEqual(JSON.parse(gone.body), { error: 'channel does not exist' });
    const removeAgain = await call('DELETE', `${PARTICIPATION_PATH}/mychannel`);
    assert.equal(removeAgain.status, 404);
    assert.deepEqual(JSON.parse(removeAgain.body), { error: 'cannot remove: channel does not exist' });
  });

  it('refuses malformed blocks, missing parts and bad names with 400, and keeps serving', async () => {
    const garbage = await join(Buffer.from([0x0a, 0xff, 0xff, 0xff]));
    assert.equal(garbage.status, 400);
    assert.match(JSON.parse(garbage.body).error, /cannot unmarshal|invalid join block/);
    const notConfig = await join(common.Block.encode({ header: { number: 0 }, data: { data: [] } }));
    assert.equal(notConfig.status, 400);
    assert.match(JSON.parse(notConfig.body).error, /^invalid join block: /);
    const noPart = await call(
      'POST',
      PARTICIPATION_PATH,
      Buffer.from('--x--\r\n'),
      'multipart/form-data; boundary=x',
    );
    assert.equal(noPart.status, 400);
    const badName = await call('GET', `${PARTICIPATION_PATH}/Bad_Name`);
    assert.equal(badName.status, 400);
    const put = await call('PUT', `${PARTICIPATION_PATH}/mychannel`);
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'GET, DELETE');
    const text = await call('POST', PARTICIPATION_PATH, Buffer.from('x'), 'text/plain');
    assert.deepEqual(JSON.parse(text.body), { error: 'unsupported Content-Type: [text/plain]' });
    assert.equal((await join(common.Block.encode(net.genesisBlock))).status, 201);
  });

  it('requires a client certificate from the orderer org’s TLS CA (mutual TLS, as osnadmin)', async () => {
    await assert.rejects(call('GET', PARTICIPATION_PATH, undefined, undefined, false));
  });
});
