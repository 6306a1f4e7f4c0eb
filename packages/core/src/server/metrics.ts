// Fabric's grpcmetrics as a grpc-js server interceptor: grpc_server_{unary,stream}_requests_received /
// _completed, _request_duration (seconds), stream_messages_received / _sent, labelled as Fabric
// labels them (service "protos_Endorser", method "ProcessProposal", code "OK").
import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { DisabledMetricsProvider, FABRIC_METRICS, type MetricsProvider } from '../operations/index.js';

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(status)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [
      v as number,
      k
        .split('_')
        .map((w) => w[0] + w.slice(1).toLowerCase())
        .join(''),
    ]),
);
// Go's codes.Code.String(): "OK", "Canceled", "Unknown", "InvalidArgument", ...
CODE_NAMES[status.OK] = 'OK';
CODE_NAMES[status.CANCELLED] = 'Canceled';

export function metricsInterceptor(
  provider: MetricsProvider = new DisabledMetricsProvider(),
): ServerInterceptor {
  const m = {
    unaryReceived: provider.newCounter(FABRIC_METRICS.grpcServerUnaryRequestsReceived),
    unaryCompleted: provider.newCounter(FABRIC_METRICS.grpcServerUnaryRequestsCompleted),
    unaryDuration: provider.newHistogram(FABRIC_METRICS.grpcServerUnaryRequestDuration),
    streamReceived: provider.newCounter(FABRIC_METRICS.grpcServerStreamRequestsReceived),
    streamCompleted: provider.newCounter(FABRIC_METRICS.grpcServerStreamRequestsCompleted),
    streamDuration: provider.newHistogram(FABRIC_METRICS.grpcServerStreamRequestDuration),
    messagesReceived: provider.newCounter(FABRIC_METRICS.grpcServerStreamMessagesReceived),
    messagesSent: provider.newCounter(FABRIC_METRICS.grpcServerStreamMessagesSent),
  };
  return (descriptor, call) => {
    const [svc = '', method = ''] = descriptor.path.slice(1).split('/');
    const labels = { service: svc.replace(/\./g, '_'), method };
    const streaming = descriptor.requestStream || descriptor.responseStream;
    const started = performance.now();
    (streaming ? m.streamReceived : m.unaryReceived).with(labels).add(1);
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMessage: (msg, nextMsg) => {
            if (streaming) m.messagesReceived.with(labels).add(1);
            nextMsg(msg);
          },
        }),
      sendMessage: (msg, next) => {
        if (streaming) m.messagesSent.with(labels).add(1);
        next(msg);
      },
      sendStatus: (st, next) => {
        const done = { ...labels, code: CODE_NAMES[st.code ?? status.UNKNOWN] ?? String(st.code) };
        (streaming ? m.streamCompleted : m.unaryCompleted).with(done).add(1);
        (streaming ? m.streamDuration : m.unaryDuration)
          .with(done)
          .observe((performance.now() - started) / 1000);
        next(st);
      },
    });
  };
}
