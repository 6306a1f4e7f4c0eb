// grpc.health.v1.Health: SERVING while the peer serves (service "" and each registered name),
// NOT_SERVING while it stops; Watch streams the changes, as the standard health server does.
import {
  status,
  type UntypedServiceImplementation,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { grpc } from '@fabric-peer/protos';

type Req = grpc.health.v1.HealthCheckRequest;
type Res = grpc.health.v1.HealthCheckResponse;
const ServingStatus = grpc.health.v1.HealthCheckResponse_ServingStatus;

export class HealthService {
  static readonly definition = grpc.health.v1.HealthService;
  private serving = false;
  private readonly known = new Set<string>(['']);
  private readonly watchers = new Set<{ service: string; call: ServerWritableStream<Req, Res> }>();

  /** Names Check answers for besides "" (e.g. "protos.Endorser"). */
  register(service: string): void {
    this.known.add(service);
  }

  setServing(serving: boolean): void {
    this.serving = serving;
    for (const w of this.watchers) w.call.write(this.statusOf(w.service));
  }

  closeWatchers(): void {
    for (const w of this.watchers) w.call.end();
    this.watchers.clear();
  }

  private statusOf(service: string): Res {
    const s = !this.known.has(service)
      ? ServingStatus.SERVICE_UNKNOWN
      : this.serving
        ? ServingStatus.SERVING
        : ServingStatus.NOT_SERVING;
    return grpc.health.v1.HealthCheckResponse.create({ status: s });
  }

  implementation(): UntypedServiceImplementation {
    return {
      check: (call: ServerUnaryCall<Req, Res>, cb: sendUnaryData<Res>) => {
        if (!this.known.has(call.request.service)) {
          cb({ code: status.NOT_FOUND, details: 'unknown service' });
          return;
        }
        cb(null, this.statusOf(call.request.service));
      },
      watch: (call: ServerWritableStream<Req, Res>) => {
        const w = { service: call.request.service, call };
        this.watchers.add(w);
        call.on('cancelled', () => this.watchers.delete(w));
        call.write(this.statusOf(w.service));
      },
    };
  }
}
