// orderer.AtomicBroadcast/Broadcast: Fabric's broadcast handler and the standard channel's message
// processor. Each envelope gets one BroadcastResponse: SUCCESS once it is ordered, or Fabric's status
// (BAD_REQUEST, FORBIDDEN, SERVICE_UNAVAILABLE) with the reason in `info`. A refused message never
// ends the stream; only the client's half-close or a transport error does.
import { type ServerDuplexStream } from '@grpc/grpc-js';
import { common, orderer } from '@fabric-peer/protos';
import { type Signer, createSignedEnvelope } from '../configtx/index.js';
import { type Logger, NOOP_LOGGER } from '../logging/index.js';
import { FabricPeerError } from '../errors/index.js';
import { type ChannelConfig, applyConfigUpdate } from '../channel/index.js';
import { messageSize } from './blockcutter.js';
import { type Chain } from './chain.js';
import { ORDERER_ERRORS, OrdererError, errorMessage, ordererError } from './errors.js';
import { type Registrar } from './registrar.js';

interface Parsed {
  channelHeader: common.ChannelHeader;
  signatureHeader: common.SignatureHeader;
  payload: common.Payload;
}

function parse(env: common.Envelope): Parsed {
  if (env.payload.length === 0)
    throw ordererError(ORDERER_ERRORS.BAD_MESSAGE, { reason: 'message was empty' });
  try {
    const payload = common.Payload.decode(env.payload);
    if (!payload.header) throw new Error('missing header');
    return {
      payload,
      channelHeader: common.ChannelHeader.decode(payload.header.channelHeader),
      signatureHeader: common.SignatureHeader.decode(payload.header.signatureHeader),
    };
  } catch (err) {
    throw ordererError(
      ORDERER_ERRORS.BAD_MESSAGE,
      { reason: `bad header: ${errorMessage(err)}` },
      { cause: err },
    );
  }
}

/** Fabric's sigfilter: the envelope's signature must satisfy `policy` of the channel. */
export function checkPolicy(
  chain: Chain,
  policy: string,
  env: common.Envelope,
  sh: common.SignatureHeader,
): void {
  const r = chain.config.policies.evaluateSignedData(policy, [
    { data: env.payload, identity: sh.creator, signature: env.signature },
  ]);
  if (!r.satisfied) {
    throw ordererError(
      ORDERER_ERRORS.PERMISSION_DENIED,
      { reason: r.error.message },
      { channel: chain.channelId },
    );
  }
}

/** What this orderer refuses in a new config, as Fabric's orderer does (no consensus type migration). */
function checkOrdererRules(current: ChannelConfig, next: common.Config): void {
  const type = (c: common.Config): string | undefined => {
    const v = c.channelGroup?.groups.Orderer?.values.ConsensusType;
    return v ? orderer.ConsensusType.decode(v.value).type : undefined;
  };
  const before = current.consensusType;
  const after = type(next);
  if (before !== undefined && after !== before) {
    throw ordererError(ORDERER_ERRORS.CONFIG_UPDATE_REFUSED, {
      reason: `attempted to change consensus type from ${before} to ${after}`,
    });
  }
}

export class BroadcastHandler {
  private readonly logger: Logger;

  constructor(
    private readonly registrar: Registrar,
    private readonly signer: Signer,
    logger?: Logger,
  ) {
    this.logger = logger ?? NOOP_LOGGER;
  }

  /** One envelope, one response: the in-process fast path and the gRPC path share it. */
  async processMessage(env: common.Envelope): Promise<orderer.BroadcastResponse> {
    try {
      await this.order(env);
      return { status: common.Status.SUCCESS, info: '' };
    } catch (err) {
      const status = err instanceof FabricPeerError && err.status !== undefined ? err.status : 500;
      if (!(err instanceof OrdererError))
        this.logger.error('broadcast failed', { reason: errorMessage(err) });
      else this.logger.warn('broadcast refused', { reason: err.message, status });
      return { status: status as common.Status, info: errorMessage(err) };
    }
  }

  private async order(env: common.Envelope): Promise<void> {
    const { channelHeader: ch, signatureHeader: sh, payload } = parse(env);
    const chain = this.registrar.getChain(ch.channelId);
    if (!chain) throw ordererError(ORDERER_ERRORS.CHANNEL_NOT_EXIST, { channel: ch.channelId });
    const max = chain.config.batchSize?.absoluteMaxBytes;
    const size = messageSize(env);
    if (max !== undefined && size > max) {
      throw ordererError(ORDERER_ERRORS.MESSAGE_TOO_LARGE, { size, max }, { channel: ch.channelId });
    }
    checkPolicy(chain, '/Channel/Writers', env, sh);
    switch (ch.type) {
      case common.HeaderType.CONFIG_UPDATE:
        return this.configUpdate(chain, env);
      case common.HeaderType.CONFIG: {
        // Fabric re-derives a CONFIG message from its last_update, never trusting the config itself.
        let last: common.Envelope | undefined;
        try {
          last = common.ConfigEnvelope.decode(payload.data).lastUpdate;
        } catch (err) {
          throw ordererError(ORDERER_ERRORS.BAD_MESSAGE, {
            reason: `bad config envelope: ${errorMessage(err)}`,
          });
        }
        if (!last)
          throw ordererError(ORDERER_ERRORS.BAD_MESSAGE, { reason: 'config envelope has no last_update' });
        return this.configUpdate(chain, last);
      }
      case common.HeaderType.ORDERER_TRANSACTION:
        throw ordererError(ORDERER_ERRORS.BAD_MESSAGE, {
          reason: 'ORDERER_TRANSACTION messages are not allowed without a system channel',
        });
      default: {
        const sequence = chain.config.sequence;
        return chain.order(env, {
          sequence,
          revalidate: () => checkPolicy(chain, '/Channel/Writers', env, sh),
        });
      }
    }
  }

  private configUpdate(chain: Chain, update: common.Envelope): Promise<void> {
    return chain.configure((current) => {
      let next: common.Config;
      try {
        next = applyConfigUpdate(current, update);
      } catch (err) {
        throw ordererError(
          ORDERER_ERRORS.CONFIG_UPDATE_REFUSED,
          { reason: errorMessage(err) },
          { cause: err },
        );
      }
      checkOrdererRules(current, next);
      // The orderer signs the resulting CONFIG envelope itself (block 1 of the fixtures: creator OrdererMSP).
      const data = common.ConfigEnvelope.encode({ config: next, lastUpdate: update });
      const envelope = createSignedEnvelope(common.HeaderType.CONFIG, chain.channelId, this.signer, data);
      return { envelope, config: next };
    });
  }

  /** The gRPC handler: read envelopes until half-close, answer each in order. */
  handle(call: ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>): void {
    let chain: Promise<void> = Promise.resolve();
    call.on('data', (env: common.Envelope) => {
      chain = chain.then(async () => {
        const resp = await this.processMessage(env);
        if (!call.writable) return;
        call.write(resp);
      });
    });
    call.on('end', () => {
      void chain.then(() => call.end());
    });
    call.on('error', () => undefined);
  }
}
