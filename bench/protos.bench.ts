// Codec throughput of @fabric-peer/protos: ProposalResponse encode/decode, and decoding real Fabric blocks
// (top level only, and deep: every envelope down to the read-write sets).
// Run: node --conditions=source --import tsx bench/protos.bench.ts
// (imports the package's source by path: bench/ has no dependency on @fabric-peer/protos)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { common, kvrwset, protos, rwset } from '@fabric-peer/protos';

function bench(name: string, fn: () => unknown, minMs = 1000): number {
  // warm up, then run whole batches until minMs has passed
  for (let i = 0; i < 2000; i++) fn();
  let ops = 0;
  let batch = 1000;
  const start = performance.now();
  let elapsed = 0;
  let sink = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) if (fn() !== undefined) sink++;
    ops += batch;
    elapsed = performance.now() - start;
    if (elapsed < minMs / 10) batch *= 2;
  }
  const perSec = (ops / elapsed) * 1000;
  console.log(
    `${name.padEnd(44)} ${Math.round(perSec).toLocaleString('en-US').padStart(12)} ops/s  (${ops} ops${sink < 0 ? '' : ''})`,
  );
  return perSec;
}

const enc = new TextEncoder();
const response: protos.ProposalResponse = protos.ProposalResponse.create({
  version: 1,
  timestamp: { seconds: 1795500318, nanos: 834532103 },
  response: { status: 200, message: '', payload: enc.encode('{"color":"blue","owner":"tom","size":5}') },
  payload: new Uint8Array(700).fill(7),
  endorsement: { endorser: new Uint8Array(850).fill(1), signature: new Uint8Array(71).fill(2) },
});
const responseBytes = protos.ProposalResponse.encode(response);

const fixtures = new URL('../test/fixtures/fabric-2.5.12/blocks/', import.meta.url);
const block13 = readFileSync(fileURLToPath(new URL('mychannel/13.block', fixtures)));
const block0 = readFileSync(fileURLToPath(new URL('mychannel/0.block', fixtures)));

function deepDecode(bytes: Uint8Array): number {
  const block = common.Block.decode(bytes);
  let n = 0;
  for (const d of block.data!.data) {
    const payload = common.Payload.decode(common.Envelope.decode(d).payload);
    common.ChannelHeader.decode(payload.header!.channelHeader);
    const tx = protos.Transaction.decode(payload.data);
    for (const a of tx.actions) {
      const cap = protos.ChaincodeActionPayload.decode(a.payload);
      const prp = protos.ProposalResponsePayload.decode(cap.action!.proposalResponsePayload);
      const cca = protos.ChaincodeAction.decode(prp.extension);
      for (const ns of rwset.TxReadWriteSet.decode(cca.results).nsRwset)
        n += kvrwset.KVRWSet.decode(ns.rwset).reads.length;
    }
  }
  return n;
}

console.log(
  `node ${process.version}; ProposalResponse ${responseBytes.length} B, block 13 ${block13.length} B (3 txs), block 0 ${block0.length} B (config)`,
);
bench('ProposalResponse encode', () => protos.ProposalResponse.encode(response));
bench('ProposalResponse decode', () => protos.ProposalResponse.decode(responseBytes));
bench('Block decode (block 13, top level)', () => common.Block.decode(block13));
bench('Block decode (block 13, deep to KVRWSet)', () => deepDecode(block13));
bench('Block decode (block 0, config, top level)', () => common.Block.decode(block0));
bench('Block encode (block 13)', () => common.Block.encode(common.Block.decode(block13)));
