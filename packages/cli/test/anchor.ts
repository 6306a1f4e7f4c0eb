// An unsigned anchor-peer CONFIG_UPDATE for the dev network's channel, as configtxlator makes one
// (test-network's setAnchorPeer.sh): Org1MSP gets AnchorPeers [peer0 at its address].
import { readFileSync } from 'node:fs';
import { common, protos } from '../../../protos/src/index.js';
import { computeUpdate, configFromBlock, createSignedEnvelope } from '../../core/src/configtx/index.js';
import type { Net } from './harness.js';

export async function buildAnchorUpdate(net: Net): Promise<Uint8Array> {
  const { config, channelId } = configFromBlock(common.Block.decode(readFileSync(net.genesisFile)));
  const updated = common.Config.decode(common.Config.encode(config));
  const org = updated.channelGroup!.groups.Application!.groups.Org1MSP!;
  const [host, port] = net.peer.address.split(':');
  org.values.AnchorPeers = common.ConfigValue.create({
    modPolicy: 'Admins',
    value: protos.AnchorPeers.encode({ anchorPeers: [{ host: host!, port: Number(port) }] }),
  });
  const update = computeUpdate(channelId, config, updated);
  const data = common.ConfigUpdateEnvelope.encode({ configUpdate: common.ConfigUpdate.encode(update) });
  return common.Envelope.encode(
    createSignedEnvelope(common.HeaderType.CONFIG_UPDATE, channelId, undefined, data),
  );
}
