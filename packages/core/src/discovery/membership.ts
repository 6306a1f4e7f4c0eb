// The peers this peer knows on a channel. Without gossip, that is the peer itself plus any peers the
// composer hands in (other orgs' peers it can reach); each is described as Fabric's discovery does:
// an AliveMessage envelope (endpoint, PKI id), a StateInfo envelope (ledger height, chaincodes) and the
// peer's serialized identity, so fabric-network decodes them as it decodes a Go peer's answer.
import { createHash } from 'node:crypto';
import type { KVLedger } from '@fabric-peer/ledger';
import { gossip, lifecycle } from '@fabric-peer/protos';
import {
  CHAINCODE_DEFINITION_TYPE,
  LIFECYCLE_NAMESPACE,
  NAMESPACES_NAME,
  type ChaincodeDefinitionReader,
} from '../lifecycle/index.js';
import { LIFECYCLE_CHAINCODE_INFO } from './syscc.js';

export interface ChaincodeInfo {
  name: string;
  version: string;
}

/** A peer as discovery and the gateway see it on one channel. */
export interface ChannelPeer {
  /** host:port clients dial (peer.gossip.externalEndpoint). */
  endpoint: string;
  mspId: string;
  /** SerializedIdentity bytes. */
  identity: Uint8Array;
  ledgerHeight: number;
  chaincodes: ChaincodeInfo[];
}

/** The channel facts the local peer's own entry needs. */
export interface MembershipChannel {
  readonly id: string;
  readonly height: number;
  readonly ledger: Pick<KVLedger, 'newQueryExecutor'>;
  readonly definitions: Pick<ChaincodeDefinitionReader, 'get'>;
}

/** Fabric's PKI id: SHA-256 of the serialized identity. */
export const pkiIdOf = (identity: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(identity).digest());

/** Chaincodes defined on the channel (from `_lifecycle`'s namespaces/metadata keys), then `_lifecycle`
 * itself, as a Fabric peer advertises them: each at its definition's sequence as the version. */
export async function definedChaincodes(ch: MembershipChannel): Promise<ChaincodeInfo[]> {
  const q = await ch.ledger.newQueryExecutor();
  const prefix = `${NAMESPACES_NAME}/metadata/`;
  const names: string[] = [];
  try {
    const it = q.getStateRangeScanIterator(LIFECYCLE_NAMESPACE, prefix, `${prefix}\u{10ffff}`);
    for await (const kv of it) {
      try {
        if (lifecycle.StateMetadata.decode(kv.value).datatype === CHAINCODE_DEFINITION_TYPE) {
          names.push(kv.key.slice(prefix.length));
        }
      } catch {
        // A corrupt entry is not a chaincode this peer can advertise.
      }
    }
  } finally {
    await q.done();
  }
  const out: ChaincodeInfo[] = [];
  for (const name of names) {
    const def = await ch.definitions.get(name).catch(() => undefined);
    if (def !== undefined) out.push({ name, version: String(def.sequence) });
  }
  out.push({ ...LIFECYCLE_CHAINCODE_INFO });
  return out;
}

let incNum = Date.now() * 1000;

/** The AliveMessage envelope of a peer (membership_info). Unsigned: clients do not verify it. */
export function aliveEnvelope(p: Pick<ChannelPeer, 'endpoint' | 'identity'>): gossip.Envelope {
  const msg = gossip.GossipMessage.encode({
    tag: gossip.GossipMessage_Tag.EMPTY,
    aliveMsg: {
      membership: { endpoint: p.endpoint, pkiId: pkiIdOf(p.identity) },
      timestamp: { incNum, seqNum: 1 },
    },
  });
  return gossip.Envelope.create({ payload: msg });
}

/** The StateInfo envelope of a peer on a channel (state_info). */
export function stateInfoEnvelope(p: ChannelPeer): gossip.Envelope {
  const msg = gossip.GossipMessage.encode({
    tag: gossip.GossipMessage_Tag.CHAN_OR_ORG,
    stateInfo: {
      timestamp: { incNum: incNum++, seqNum: 1 },
      pkiId: pkiIdOf(p.identity),
      properties: { ledgerHeight: p.ledgerHeight, leftChannel: false, chaincodes: p.chaincodes },
    },
  });
  return gossip.Envelope.create({ payload: msg });
}
