// protos.Endorser/ProcessProposal (Fabric core/endorser/endorser.go): unpack, validate, check for a
// duplicate tx id and the channel ACL, simulate (system chaincode in-process, user chaincode through
// the ChaincodeExecutor), then endorse the ProposalResponsePayload with the peer's identity.
import { status as grpcStatus, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { TxSimulationResults, TxSimulator } from '@fabric-peer/ledger';
import type { SignedData } from '@fabric-peer/msp';
import { protos } from '@fabric-peer/protos';
import { FabricPeerError } from '../errors/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import type { SystemChaincodeRegistry } from '../scc/index.js';
import { ENDORSER_ERRORS, EndorserError } from './errors.js';
import { defaultEndorsementPlugin, proposalResponsePayload } from './escc.js';
import { checkInvocation } from './checkinit.js';
import { EndorserMetrics } from './metrics.js';
import type {
  ChaincodeEndorsementInfo,
  AuthFilter,
  ChaincodeExecutor,
  Decorator,
  EndorsementInfoProvider,
  EndorsementPlugin,
  EndorserACL,
  EndorserChannels,
  IdentityDeserializer,
  PeerSigner,
} from './types.js';
import { type UnpackedProposal, unpackProposal, validateProposal } from './unpack.js';
import type { MetricsProvider } from '../operations/index.js';
import { errorMessage as message } from '../errors/index.js';

export interface EndorserOptions {
  channels: EndorserChannels;
  acl: EndorserACL;
  /** Deserializes channel-less proposals' creators (the peer's local MSP). */
  localMSP: IdentityDeserializer;
  signer: PeerSigner;
  sccs: SystemChaincodeRegistry;
  /** User chaincode; without it, invoking a user chaincode fails as "not defined". */
  chaincode?: ChaincodeExecutor;
  /** Chaincode definitions (version, endorsement plugin) of user chaincode. */
  definitions?: EndorsementInfoProvider;
  /** peer.authentication.timewindow (ms). */
  timeWindowMs: number;
  /** peer.handlers: auth filters run before everything, decorators on the input, endorsement plugins by name. */
  authFilters?: AuthFilter[];
  decorators?: Decorator[];
  endorsementPlugins?: Record<string, EndorsementPlugin>;
  metrics?: MetricsProvider;
  logger?: Logger;
  /** Called after a successful simulation on a channel (the transient store keeps its private rw-set). */
  onSimulated?: (e: { channelId: string; txId: string; results: TxSimulationResults }) => void;
}

/** Fabric's shim.ERRORTHRESHOLD and shim.ERROR. */
const ERROR_THRESHOLD = 400;
const ERROR = 500;
const SYSCC_VERSION = 'syscc';

const failed = (msg: string): protos.ProposalResponse =>
  protos.ProposalResponse.create({ response: protos.Response.create({ status: ERROR, message: msg }) });

export class Endorser {
  private readonly logger: Logger;
  private readonly plugins: Record<string, EndorsementPlugin>;
  private readonly metrics: EndorserMetrics;

  constructor(private readonly o: EndorserOptions) {
    this.logger = o.logger ?? NOOP_LOGGER;
    this.plugins = { escc: defaultEndorsementPlugin(o.signer), ...o.endorsementPlugins };
    this.metrics = new EndorserMetrics(o.metrics);
  }

  /** For `server.addService(protos.EndorserService, ...)`. */
  implementation(): {
    processProposal: (
      call: ServerUnaryCall<protos.SignedProposal, protos.ProposalResponse>,
      cb: sendUnaryData<protos.ProposalResponse>,
    ) => void;
  } {
    return {
      processProposal: (call, cb) => {
        this.processProposal(call.request).then(
          (r) => cb(null, r),
          (err: unknown) => {
            // Fabric returns these as a gRPC error (an auth filter's refusal, an undecodable proposal).
            const code =
              err instanceof FabricPeerError && err.grpcCode !== undefined
                ? err.grpcCode
                : grpcStatus.UNKNOWN;
            cb({ code, details: message(err) });
          },
        );
      },
    };
  }

  /** Resolves with a ProposalResponse (errors inside it, as Fabric); rejects only where Fabric answers a gRPC error. */
  async processProposal(sp: protos.SignedProposal): Promise<protos.ProposalResponse> {
    const started = performance.now();
    this.metrics.received();
    for (const filter of this.o.authFilters ?? []) filter(sp);
    let up: UnpackedProposal;
    try {
      up = unpackProposal(sp);
    } catch (err) {
      this.metrics.validationFailed();
      this.logger.warn('Failed to unpack proposal', { error: message(err) });
      throw err;
    }
    const channelId = up.channelHeader.channelId;
    const labels = { channel: channelId, chaincode: up.chaincodeName };
    let ok = false;
    try {
      let deserializer = this.o.localMSP;
      if (channelId !== '') {
        const ch = this.o.channels.getChannel(channelId);
        if (ch === undefined) {
          const e = new EndorserError(
            ENDORSER_ERRORS.CHANNEL_NOT_FOUND,
            { channel: channelId },
            { channel: channelId },
          );
          return failed(e.message);
        }
        deserializer = ch.config().mspManager;
      }
      try {
        await this.preProcess(up, deserializer);
      } catch (err) {
        this.logger.warn('Failed to preProcess proposal', {
          channel: channelId,
          txId: up.channelHeader.txId,
          error: message(err),
        });
        return failed(message(err));
      }
      try {
        const r = await this.processSuccessfullyOrError(up);
        ok = r.endorsement !== undefined || channelId === '';
        if (ok) this.metrics.succeeded();
        return r;
      } catch (err) {
        this.logger.warn('Failed to endorse proposal', {
          channel: channelId,
          txId: up.channelHeader.txId,
          error: message(err),
        });
        return failed(message(err));
      }
    } finally {
      this.metrics.duration(labels, ok, (performance.now() - started) / 1000);
    }
  }

  private async preProcess(up: UnpackedProposal, deserializer: IdentityDeserializer): Promise<void> {
    const ch = up.channelHeader;
    try {
      validateProposal(up, deserializer, this.o.timeWindowMs);
    } catch (err) {
      this.metrics.validationFailed();
      throw err;
    }
    // Channel-less proposals are checked against the local MSP only (above), and never committed.
    if (ch.channelId === '') return;
    const labels = { channel: ch.channelId, chaincode: up.chaincodeName };
    if (await this.txExists(ch.channelId, ch.txId)) {
      this.metrics.duplicate(labels);
      throw new EndorserError(
        ENDORSER_ERRORS.DUPLICATE_TX,
        { txId: ch.txId, creator: Buffer.from(up.signatureHeader.creator).toString('hex') },
        { channel: ch.channelId, txId: ch.txId },
      );
    }
    // System chaincodes check their own resources (cscc/*, qscc/*).
    if (!this.o.sccs.isSysCC(up.chaincodeName)) {
      try {
        this.o.acl.checkACL('peer/Propose', ch.channelId, this.signedData(up));
      } catch (err) {
        this.metrics.aclFailed(labels);
        throw err;
      }
    }
  }

  private async txExists(channelId: string, txId: string): Promise<boolean> {
    return this.o.channels.getChannel(channelId)!.ledger.txIdExists(txId);
  }

  private signedData(up: UnpackedProposal): SignedData[] {
    return [
      {
        data: up.signedProposal.proposalBytes,
        identity: up.signatureHeader.creator,
        signature: up.signedProposal.signature,
      },
    ];
  }

  private async processSuccessfullyOrError(up: UnpackedProposal): Promise<protos.ProposalResponse> {
    const channelId = up.channelHeader.channelId;
    const name = up.chaincodeName;
    const labels = { channel: channelId, chaincode: name };
    const scc = this.o.sccs.get(name);
    // Fabric takes no simulator for channel-less calls nor for qscc / cscc.
    let sim: TxSimulator | undefined;
    if (channelId !== '' && name !== 'qscc' && name !== 'cscc') {
      sim = await this.o.channels.getChannel(channelId)!.ledger.newTxSimulator(up.channelHeader.txId);
    }
    try {
      let version = SYSCC_VERSION;
      let plugin = 'escc';
      let info: ChaincodeEndorsementInfo | undefined;
      if (scc === undefined) {
        try {
          if (this.o.definitions === undefined || this.o.chaincode === undefined)
            throw new Error(`chaincode ${name} not found`);
          info = await this.o.definitions.chaincodeEndorsementInfo(channelId, name, sim);
          version = info.version;
          plugin = info.endorsementPlugin;
        } catch (err) {
          throw new EndorserError(ENDORSER_ERRORS.CHAINCODE_NOT_DEFINED, {
            chaincode: name,
            channel: channelId,
            reason: message(err),
          });
        }
      }
      let input = up.input;
      let isInit = false;
      for (const d of this.o.decorators ?? []) input = d(up.proposal, input);
      let response: protos.Response;
      let event: protos.ChaincodeEvent | undefined;
      try {
        if (scc !== undefined) {
          response = await scc.invoke({
            channelId,
            txId: up.channelHeader.txId,
            args: input.args,
            signedProposal: up.signedProposal,
            proposal: up.proposal,
            creator: up.signatureHeader.creator,
            signedData: this.signedData(up),
            transientMap: up.transientMap,
            ...(sim === undefined ? {} : { simulator: sim }),
          });
        } else {
          isInit = await checkInvocation(name, info!, input.isInit, sim);
          const r = await this.o.chaincode!.execute(
            {
              channelId,
              txId: up.channelHeader.txId,
              signedProposal: up.signedProposal,
              proposal: up.proposal,
              simulator: sim!,
              isInit,
            },
            name,
            input,
          );
          response = r.response;
          event = r.event;
        }
      } catch (err) {
        this.metrics.simulationFailed(labels);
        throw new EndorserError(
          ENDORSER_ERRORS.SIMULATION_FAILED,
          { reason: message(err) },
          { channel: channelId, txId: up.channelHeader.txId },
        );
      }
      // A failed chaincode leaves no simulation results behind.
      let results: Uint8Array = new Uint8Array();
      if (response.status < ERROR_THRESHOLD && sim !== undefined) {
        const simulated = sim.getTxSimulationResults();
        results = simulated.bytes;
        this.o.onSimulated?.({ channelId, txId: up.channelHeader.txId, results: simulated });
      }
      const events = event === undefined ? new Uint8Array() : protos.ChaincodeEvent.encode(event);
      const prpBytes = proposalResponsePayload(
        up.proposalHash,
        response,
        results,
        events,
        protos.ChaincodeID.create({ name, version }),
      );
      if (response.status >= ERROR) {
        this.metrics.endorsementFailed(labels, true);
        return protos.ProposalResponse.create({ response, payload: prpBytes });
      }
      // Channel-less invocations are answered unendorsed (Fabric: "a broken concept").
      if (channelId === '') return protos.ProposalResponse.create({ response });
      if (response.status >= ERROR_THRESHOLD) {
        this.metrics.endorsementFailed(labels, true);
        return protos.ProposalResponse.create({ response });
      }
      const escc = this.plugins[plugin];
      if (escc === undefined) {
        this.metrics.endorsementFailed(labels, false);
        throw new EndorserError(ENDORSER_ERRORS.ENDORSEMENT_FAILED, {
          reason: `plugin with name ${plugin} wasn't found`,
        });
      }
      let endorsed: ReturnType<EndorsementPlugin['endorse']>;
      try {
        endorsed = escc.endorse(prpBytes, up.signedProposal);
      } catch (err) {
        this.metrics.endorsementFailed(labels, false);
        throw new EndorserError(ENDORSER_ERRORS.ENDORSEMENT_FAILED, { reason: message(err) });
      }
      return protos.ProposalResponse.create({
        version: 1,
        response,
        payload: endorsed.payload,
        endorsement: endorsed.endorsement,
      });
    } finally {
      await sim?.done();
    }
  }
}
