// protos.Admin (Fabric 1.4's peer admin service, kept for `peer logging ...`): every request is a
// signed Envelope whose payload data is an AdminOperation; only an admin of the peer's own MSP may
// call it (checked on the envelope's creator and signature, as 1.4's validator did).
import {
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { MSP } from '@fabric-peer/msp';
import { common, google, protos } from '@fabric-peer/protos';
import { type Logger, type LoggingSystem, NOOP_LOGGER } from '../logging/index.js';
import { errorMessage } from '../errors/index.js';

export interface AdminServiceOptions {
  logging: LoggingSystem;
  /** The peer's local MSP: its admins may call. */
  localMSP: MSP;
  logger?: Logger;
  now?: () => number;
}

type Call = ServerUnaryCall<common.Envelope, unknown>;
class AdminRefusal extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

const ADMIN_PRINCIPAL = (mspId: string): common.MSPPrincipal =>
  common.MSPPrincipal.create({
    principalClassification: common.MSPPrincipal_Classification.ROLE,
    principal: common.MSPRole.encode({ mspIdentifier: mspId, role: common.MSPRole_MSPRoleType.ADMIN }),
  });

export class AdminService {
  private readonly logger: Logger;

  constructor(private readonly o: AdminServiceOptions) {
    this.logger = o.logger ?? NOOP_LOGGER;
  }

  /** The envelope's AdminOperation, once its creator is shown to be a local admin who signed it. */
  validate(env: common.Envelope): protos.AdminOperation {
    let payload: common.Payload;
    let shdr: common.SignatureHeader;
    try {
      payload = common.Payload.decode(env.payload);
      if (payload.header === undefined) throw new Error('header is nil');
      common.ChannelHeader.decode(payload.header.channelHeader);
      shdr = common.SignatureHeader.decode(payload.header.signatureHeader);
    } catch (err) {
      throw new AdminRefusal(status.INVALID_ARGUMENT, `bad request: ${errorMessage(err)}`);
    }
    const local = this.o.localMSP;
    try {
      const id = local.deserializeIdentity(shdr.creator);
      if (id.expiresAt.getTime() < (this.o.now?.() ?? Date.now())) throw new Error('identity expired');
      id.validate();
      id.verify(env.payload, env.signature);
      local.satisfiesPrincipal(id, ADMIN_PRINCIPAL(local.id));
    } catch (err) {
      throw new AdminRefusal(
        status.PERMISSION_DENIED,
        `access denied: the request's creator is not an admin of the local MSP [${local.id}]: ${errorMessage(err)}`,
      );
    }
    try {
      return protos.AdminOperation.decode(payload.data);
    } catch (err) {
      throw new AdminRefusal(status.INVALID_ARGUMENT, `bad admin operation: ${String(err)}`);
    }
  }

  private unary<R>(run: (op: protos.AdminOperation) => R): (call: Call, cb: sendUnaryData<R>) => void {
    return (call, cb) => {
      try {
        cb(null, run(this.validate(call.request)));
      } catch (err) {
        const code = err instanceof AdminRefusal ? err.code : status.UNKNOWN;
        const details = errorMessage(err);
        this.logger.warn('admin request refused', { reason: details });
        cb({ code, details });
      }
    };
  }

  implementation(): UntypedServiceImplementation {
    const logging = this.o.logging;
    const started = (): protos.ServerStatus =>
      protos.ServerStatus.create({ status: protos.ServerStatus_StatusCode.STARTED });
    return {
      getStatus: this.unary(started),
      startServer: this.unary(started),
      getModuleLogLevel: this.unary((op) => {
        const m = op.logReq?.logModule ?? '';
        return protos.LogLevelResponse.create({
          logModule: m,
          logLevel: logging.moduleLevel(m).toUpperCase(),
        });
      }),
      setModuleLogLevel: this.unary((op) => {
        const req = op.logReq ?? protos.LogLevelRequest.create();
        logging.setModuleLevel(req.logModule, req.logLevel);
        return protos.LogLevelResponse.create({
          logModule: req.logModule,
          logLevel: logging.moduleLevel(req.logModule).toUpperCase(),
        });
      }),
      revertLogLevels: this.unary(() => {
        logging.revertLevels();
        return google.protobuf.Empty.create();
      }),
      getLogSpec: this.unary(() => protos.LogSpecResponse.create({ logSpec: logging.spec() })),
      setLogSpec: this.unary((op) => {
        const spec = op.logSpecReq?.logSpec ?? '';
        try {
          logging.activateSpec(spec);
          return protos.LogSpecResponse.create({ logSpec: spec });
        } catch (err) {
          // 1.4 answers a bad spec in the response, not as a gRPC error.
          return protos.LogSpecResponse.create({
            logSpec: spec,
            error: errorMessage(err),
          });
        }
      }),
    };
  }
}
