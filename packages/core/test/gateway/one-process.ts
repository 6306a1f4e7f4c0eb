// A user's process with client and contract in it: fabric-gateway imported first (the order that used to
// break in-process chaincode), then fabric-contract-api (the contract), then @fabric-peer/core, as a
// Jest test file written top-down would. Starts the dev network with the contract in process and runs
// real transactions through the gateway client; prints what it saw as one line "RESULT {...}".
// Argument: the import order, "gateway-first" (default), "shim-first" (the old workaround) or
// "shim-after-gateway" (the user imports fabric-shim themselves, after the gateway).
import { createPrivateKey } from 'node:crypto';

const order = process.argv[2] ?? 'gateway-first';
if (order === 'shim-first') await import('fabric-shim');
const { connect, hash, signers } = await import('@hyperledger/fabric-gateway');
if (order === 'shim-after-gateway') await import('fabric-shim');
const { ASSET } = await import('./contract.js');
const { createPeer } = await import('@fabric-peer/core');
const grpc = await import('@grpc/grpc-js');

const text = (b: Uint8Array): string => Buffer.from(b).toString();

const peer = await createPeer({}, { inMemory: true, chaincodes: { basic: ASSET } });
let result: Record<string, unknown>;
try {
  await peer.start();
  const { connectionProfile, user, channelId } = peer.devNetwork!;
  const { url, tlsCACerts } = Object.values(connectionProfile.peers)[0]!;
  const client = new grpc.Client(
    url.replace('grpcs://', ''),
    grpc.credentials.createSsl(Buffer.from(tlsCACerts.pem)),
  );
  const gateway = connect({
    client,
    identity: { mspId: user.mspId, credentials: Buffer.from(user.certificate) },
    signer: signers.newPrivateKeySigner(createPrivateKey(user.privateKey)),
    hash: hash.sha256,
  });
  try {
    const contract = gateway.getNetwork(channelId).getContract('basic');
    const submitted = text(await contract.submitTransaction('put', 'k1', 'v1'));
    const evaluated = text(await contract.evaluateTransaction('get', 'k1'));
    const commit = await contract.submitAsync('put', { arguments: ['k2', 'v2'] });
    const status = await commit.getStatus();
    result = { order, submitted, evaluated, code: status.code, successful: status.successful };
  } finally {
    gateway.close();
    client.close();
  }
} catch (err) {
  const e = err as { message?: string; details?: { message: string }[] };
  result = { order, error: e.message ?? String(err), details: e.details?.map((d) => d.message) };
} finally {
  await peer.stop();
}
console.log(`RESULT ${JSON.stringify(result!)}`);
