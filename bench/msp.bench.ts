// Hot paths of @fabric-peer/msp on one core: sign, verify with a cached identity, identity
// deserialize + validate (uncached: parse, chain, sanitize, hash; cached: a map hit), policy
// evaluation of real endorsements, and generating a dev org.
// Run: node --conditions=source --import tsx bench/msp.bench.ts
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { common, protos } from '../protos/src/index';
import {
  MSP,
  MSPManager,
  PolicyManager,
  generateOrg,
  setSignatureCacheSize,
  type SignedData,
} from '../packages/msp/src/index';

// Every signature below is verified by OpenSSL: the process-wide cache of good signatures is off.
setSignatureCacheSize(0);

const FIX = new URL('../test/fixtures/fabric-2.5.12/', import.meta.url);
const ORG1 = 'crypto/peerOrganizations/org1.example.com';

function rate(name: string, fn: (i: number) => void, ms = 1500): number {
  for (let i = 0; i < 200; i++) fn(i); // warm up
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 100; k++) fn(n++);
    now = performance.now();
  }
  const perSec = (n * 1000) / (now - start);
  console.log(`${name.padEnd(58)} ${Math.round(perSec).toLocaleString('en-US').padStart(10)} /s`);
  return perSec;
}

function channelGroup(): common.ConfigGroup {
  const block = common.Block.decode(readFileSync(new URL('channel/mychannel-genesis.block', FIX)));
  const payload = common.Payload.decode(common.Envelope.decode(block.data!.data[0]!).payload);
  return common.ConfigEnvelope.decode(payload.data).config!.channelGroup!;
}

function endorsements(n: number): SignedData[] {
  const block = common.Block.decode(readFileSync(new URL(`blocks/mychannel/${n}.block`, FIX)));
  const payload = common.Payload.decode(common.Envelope.decode(block.data!.data[0]!).payload);
  const cap = protos.ChaincodeActionPayload.decode(
    protos.Transaction.decode(payload.data).actions[0]!.payload,
  );
  const prp = cap.action!.proposalResponsePayload;
  return cap.action!.endorsements.map((e) => ({
    data: Buffer.concat([prp, e.endorser]),
    identity: e.endorser,
    signature: e.signature,
  }));
}

const local = await MSP.fromFolder(
  new URL(`${ORG1}/peers/peer0.org1.example.com/msp`, FIX).pathname,
  'Org1MSP',
);
const signer = local.getSigningIdentity();
const msg = randomBytes(1024);
const sig = signer.sign(msg);

console.log('@fabric-peer/msp (P-256, 1 KiB messages, one core)');
rate('sign (DER, low-S, SHA-256)', () => signer.sign(msg));
const verify = rate('verify, cached identity (KeyObject kept)', () => signer.verify(msg, sig));

// Uncached: four distinct certificates cycling through an MSP whose cache holds one.
const serialized = await Promise.all(
  ['peers/peer0.org1.example.com', 'users/Admin@org1.example.com', 'users/User1@org1.example.com'].map(
    async (d) =>
      (await MSP.fromFolder(new URL(`${ORG1}/${d}/msp`, FIX).pathname, 'Org1MSP'))
        .getSigningIdentity()
        .serialize(),
  ),
);
const tiny = await MSP.fromFolder(new URL(`${ORG1}/msp`, FIX).pathname, 'Org1MSP', { identityCacheSize: 1 });
rate('deserialize + validate, uncached (parse, chain, sanitize)', (i) =>
  tiny.deserializeIdentity(serialized[i % 3]!).validate(),
);

const group = channelGroup();
const mgr = MSPManager.fromChannelGroup(group);
rate('deserialize + validate, cached (MSPManager)', (i) =>
  mgr.deserializeIdentity(serialized[i % 3]!).validate(),
);

const policies = PolicyManager.fromChannelGroup(group, mgr);
const good = endorsements(5);
rate('Endorsement MAJORITY, 2 real endorsements (verify incl.)', () => {
  if (!policies.evaluateSignedData('/Channel/Application/Endorsement', good).satisfied)
    throw new Error('unexpected');
});

await generateOrg({ kind: 'peer', domain: 'warm.example.com', mspId: 'WarmMSP' });
const t0 = performance.now();
await Promise.all([
  generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' }),
  generateOrg({ kind: 'orderer', domain: 'example.com', mspId: 'OrdererMSP' }),
]);
console.log(
  `${'dev crypto: Org1 (1 peer, admin, 1 user) + OrdererOrg'.padEnd(58)} ${(performance.now() - t0).toFixed(0).padStart(10)} ms`,
);

if (verify < 12_000) console.log(`WARNING: verify ${Math.round(verify)}/s is below the 12,000/s target`);
