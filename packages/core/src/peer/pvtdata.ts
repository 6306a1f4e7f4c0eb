// Private data between endorsement and commit (Fabric's transient store + coordinator): the endorser
// keeps a simulation's private rw-set (e.g. a _lifecycle approval in this org's implicit collection),
// and the commit of the block carrying that transaction hands it to the ledger, then purges it.
import { join } from 'node:path';
import type { common } from '@fabric-peer/protos';
import type { Channel } from '../channel/index.js';
import type { PeerConfig } from '../config/index.js';
import type { DeliverTarget } from '../deliverclient/index.js';
import {
  TransientStoreProvider,
  blockPvtData,
  blockTxIds,
  persistSimulationPvtData,
  purgeAfterCommit,
} from '../transientstore/index.js';
import type { EndorserOptions } from '../endorser/index.js';

export class PvtDataFlow {
  private readonly transient: TransientStoreProvider;

  constructor(
    config: PeerConfig,
    inMemory: boolean,
    private readonly height: (channelId: string) => number,
  ) {
    this.transient = new TransientStoreProvider(
      inMemory ? {} : { path: join(config.peer.fileSystemPath, 'transientstore') },
    );
  }

  /** The endorser's hook. */
  readonly onSimulated: NonNullable<EndorserOptions['onSimulated']> = ({ channelId, txId, results }) => {
    if (results.pvt === undefined) return;
    persistSimulationPvtData(this.transient.storeFor(channelId), txId, this.height(channelId), results.pvt);
  };

  /** Commits a block with the private data this peer endorsed for it. */
  async commit(channel: Channel, block: common.Block): Promise<void> {
    const store = this.transient.storeFor(channel.id);
    const txs = blockTxIds(block);
    const pvtData = blockPvtData(store, txs);
    const event = await channel.commitBlock(block, pvtData.size > 0 ? { pvtData } : {});
    purgeAfterCommit(store, txs, event.blockNumber);
  }

  /** What the deliver client commits into: the channel, with private data handed over. */
  target(channel: Channel): DeliverTarget {
    return {
      id: channel.id,
      get height() {
        return channel.height;
      },
      config: () => channel.config(),
      commitBlock: (block) => this.commit(channel, block),
    };
  }
}
