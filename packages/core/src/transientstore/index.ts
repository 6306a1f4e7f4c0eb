// transientstore/: private rw-sets of endorsed proposals, kept until their block commits (Fabric's
// core/transientstore, in memory). This file is the only door.
export {
  DEFAULT_MAX_BLOCK_RETENTION,
  TransientStore,
  TransientStoreProvider,
  blockPvtData,
  blockTxIds,
  persistSimulationPvtData,
  purgeAfterCommit,
} from './store.js';
