// The public shape of a peer: what createPeer takes and what it hands back.
import type { MSP } from '@fabric-peer/msp';
import type { common } from '@fabric-peer/protos';
import type { PeerConfig } from '../config/index.js';
import type { DevNetwork, DevNetworkOptions } from '../devnet/index.js';
import type { Logger, LoggingSystem } from '../logging/index.js';
import type { MetricsProvider } from '../operations/index.js';
import type { AuthFilter, Decorator, EndorsementPlugin } from '../endorser/index.js';
import type { SystemChaincode } from '../scc/index.js';
import type { ServerTlsOptions } from '../server/index.js';
import type { DevChaincode } from './devdefine.js';

export interface CreatePeerOptions {
  /** Ledgers on memory-level: nothing is written to disk (state is lost on stop). */
  inMemory?: boolean;
  /** The local MSP (with its signing identity), e.g. from msp's generateOrg, instead of peer.mspConfigPath. */
  msp?: MSP;
  /** TLS PEMs instead of the peer.tls.* files (with peer.tls.enabled). */
  tls?: ServerTlsOptions;
  /** The logging system the peer's loggers come from (default: FABRIC_LOGGING_SPEC / _FORMAT). */
  logging?: LoggingSystem;
  /** Where the peer's own start/stop messages go (default: logging.getLogger('peer')). */
  logger?: Logger;
  /** Metrics provider (default: from metrics.provider). */
  metrics?: MetricsProvider;
  /** Pull blocks from each channel's orderers (default true). */
  pullBlocks?: boolean;
  /** Folder relative config paths resolve against (default process.cwd()). */
  baseDir?: string;
  /**
   * The zero-config development network (crypto, a channel, an embedded orderer beside the peer).
   * Default: on when neither peer.mspConfigPath nor `msp` is given; false turns it off.
   * On disk its folder is dataDir, else peer.fileSystemPath, else ./.fabric-peer.
   */
  devNetwork?: boolean | DevNetworkOptions;
  /** `peer node start --peer-chaincodedev`: chaincode is started by the user (overrides chaincode.mode). */
  chaincodeDevMode?: boolean;
  /**
   * Chaincode run inside this process (fabric-contract-api classes or a fabric-shim chaincode), by
   * package id (by default a chaincode's name is its package id): no build, no container.
   * In the dev network each is also defined on the channel during start() (version 1.0, sequence 1,
   * approved by Org1 and committed) unless it is already defined there or has `define: false`.
   */
  chaincodes?: Record<string, DevChaincode>;
  /** More system chaincodes beside cscc and qscc (lscc, _lifecycle, your own), run through ProcessProposal. */
  systemChaincodes?: SystemChaincode[];
  /**
   * peer.handlers in code: auth filters run before the built-in ones named in the config, decorators
   * change chaincode input, endorsement plugins by the name chaincode definitions give (escc is built in).
   */
  handlers?: {
    authFilters?: AuthFilter[];
    decorators?: Decorator[];
    endorsementPlugins?: Record<string, EndorsementPlugin>;
  };
}

export interface Peer extends AsyncDisposable {
  readonly config: PeerConfig;
  readonly logging: LoggingSystem;
  /** True between a resolved start() and stop(). */
  readonly running: boolean;
  /** host:port the peer's gRPC server is dialled at (the bound port when 0 was configured). */
  readonly address: string;
  /** host:port of the chaincode listener. */
  readonly chaincodeAddress: string;
  /** http(s)://host:port of the operations server. */
  readonly operationsAddress: string;
  /** The local MSP's id. */
  readonly mspId: string;
  /** The development network the peer runs in (zero-config path), with its summary and connection profile. */
  readonly devNetwork: DevNetwork | undefined;
  /** Runs Fabric's start-up sequence; resolves when the peer serves. */
  start(): Promise<void>;
  /** Closes every server, stream, chaincode and store, in reverse; the peer can be started again. */
  stop(): Promise<void>;
  /** Ids of the joined channels. */
  channels(): string[];
  /** Height of a joined channel's ledger. */
  height(channelId: string): number;
  /** Joins a channel from its genesis block (as cscc JoinChain, without a signed proposal). */
  joinChannel(block: common.Block | Uint8Array): Promise<void>;
  /** Validates and commits the next block of a channel (what the deliver client does with orderer blocks). */
  commitBlock(channelId: string, block: common.Block): Promise<void>;
}
