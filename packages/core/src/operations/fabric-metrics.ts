// Fabric's own metric definitions (names, help and labels as Fabric 2.5 exposes them), so that
// dashboards built for a Go peer work against this one. Components create them through a
// MetricsProvider: `provider.newGauge(FABRIC_METRICS.ledgerBlockchainHeight).with({ channel })`.
import type { HistogramOpts, MetricOpts } from './metrics.js';

const grpcServer = (name: string, help: string, labelNames: string[]): MetricOpts => ({
  namespace: 'grpc',
  subsystem: 'server',
  name,
  help,
  labelNames,
});

export const FABRIC_METRICS = {
  fabricVersion: {
    namespace: 'fabric',
    name: 'version',
    help: 'The active version of Fabric.',
    labelNames: ['version'],
  },
  ledgerBlockchainHeight: {
    namespace: 'ledger',
    name: 'blockchain_height',
    help: 'Height of the chain in blocks.',
    labelNames: ['channel'],
  },
  ledgerBlockProcessingTime: {
    namespace: 'ledger',
    name: 'block_processing_time',
    help: 'Time taken in seconds for ledger block processing.',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.015, 0.05, 0.1, 1, 10],
  } satisfies HistogramOpts,
  ledgerBlockstorageCommitTime: {
    namespace: 'ledger',
    name: 'blockstorage_commit_time',
    help: 'Time taken in seconds for committing the block to storage.',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.015, 0.05, 0.1, 1, 10],
  } satisfies HistogramOpts,
  ledgerStatedbCommitTime: {
    namespace: 'ledger',
    name: 'statedb_commit_time',
    help: 'Time taken in seconds for committing block changes to state db.',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.015, 0.05, 0.1, 1, 10],
  } satisfies HistogramOpts,
  ledgerTransactionCount: {
    namespace: 'ledger',
    name: 'transaction_count',
    help: 'Number of transactions processed.',
    labelNames: ['channel', 'transaction_type', 'chaincode', 'validation_code'],
  },
  endorserProposalsReceived: {
    namespace: 'endorser',
    name: 'proposals_received',
    help: 'The number of proposals received.',
  },
  endorserSuccessfulProposals: {
    namespace: 'endorser',
    name: 'successful_proposals',
    help: 'The number of successful proposals.',
  },
  endorserProposalValidationFailures: {
    namespace: 'endorser',
    name: 'proposal_validation_failures',
    help: 'The number of proposals that have failed initial validation.',
  },
  endorserProposalAclFailures: {
    namespace: 'endorser',
    name: 'proposal_acl_failures',
    help: 'The number of proposals that failed ACL checks.',
    labelNames: ['channel', 'chaincode'],
  },
  endorserDuplicateTransactionFailures: {
    namespace: 'endorser',
    name: 'duplicate_transaction_failures',
    help: 'The number of failed proposals due to duplicate transaction ID.',
    labelNames: ['channel', 'chaincode'],
  },
  endorserEndorsementFailures: {
    namespace: 'endorser',
    name: 'endorsement_failures',
    help: 'The number of failed endorsements.',
    labelNames: ['channel', 'chaincode', 'chaincodeerror'],
  },
  endorserProposalSimulationFailures: {
    namespace: 'endorser',
    name: 'proposal_simulation_failures',
    help: 'The number of failed proposal simulations',
    labelNames: ['channel', 'chaincode'],
  },
  endorserProposalDuration: {
    namespace: 'endorser',
    name: 'proposal_duration',
    help: 'The time to complete a proposal.',
    labelNames: ['channel', 'chaincode', 'success'],
  } satisfies HistogramOpts,
  grpcServerUnaryRequestsReceived: grpcServer(
    'unary_requests_received',
    'The number of unary requests received.',
    ['service', 'method'],
  ),
  grpcServerUnaryRequestsCompleted: grpcServer(
    'unary_requests_completed',
    'The number of unary requests completed.',
    ['service', 'method', 'code'],
  ),
  grpcServerUnaryRequestDuration: grpcServer(
    'unary_request_duration',
    'The time to complete a unary request.',
    ['service', 'method', 'code'],
  ) satisfies HistogramOpts,
  grpcServerStreamRequestsReceived: grpcServer(
    'stream_requests_received',
    'The number of stream requests received.',
    ['service', 'method'],
  ),
  grpcServerStreamRequestsCompleted: grpcServer(
    'stream_requests_completed',
    'The number of stream requests completed.',
    ['service', 'method', 'code'],
  ),
  grpcServerStreamRequestDuration: grpcServer(
    'stream_request_duration',
    'The time to complete a stream request.',
    ['service', 'method', 'code'],
  ) satisfies HistogramOpts,
  grpcServerStreamMessagesReceived: grpcServer(
    'stream_messages_received',
    'The number of stream messages received.',
    ['service', 'method'],
  ),
  grpcServerStreamMessagesSent: grpcServer('stream_messages_sent', 'The number of stream messages sent.', [
    'service',
    'method',
  ]),
  grpcCommConnOpened: {
    namespace: 'grpc',
    subsystem: 'comm',
    name: 'conn_opened',
    help: 'gRPC connections opened. Open minus closed is the active number of connections.',
  },
  grpcCommConnClosed: {
    namespace: 'grpc',
    subsystem: 'comm',
    name: 'conn_closed',
    help: 'gRPC connections closed. Open minus closed is the active number of connections.',
  },
  deliverStreamsOpened: {
    namespace: 'deliver',
    name: 'streams_opened',
    help: 'The number of GRPC streams that have been opened for the deliver service.',
  },
  deliverStreamsClosed: {
    namespace: 'deliver',
    name: 'streams_closed',
    help: 'The number of GRPC streams that have been closed for the deliver service.',
  },
  deliverRequestsReceived: {
    namespace: 'deliver',
    name: 'requests_received',
    help: 'The number of deliver requests that have been received.',
    labelNames: ['channel', 'filtered', 'data_type'],
  },
  deliverRequestsCompleted: {
    namespace: 'deliver',
    name: 'requests_completed',
    help: 'The number of deliver requests that have been completed.',
    labelNames: ['channel', 'filtered', 'data_type', 'success'],
  },
  deliverBlocksSent: {
    namespace: 'deliver',
    name: 'blocks_sent',
    help: 'The number of blocks sent by the deliver service.',
    labelNames: ['channel', 'filtered', 'data_type'],
  },
  chaincodeLaunchDuration: {
    namespace: 'chaincode',
    name: 'launch_duration',
    help: 'The time to launch a chaincode.',
    labelNames: ['chaincode', 'success'],
  } satisfies HistogramOpts,
  chaincodeLaunchFailures: {
    namespace: 'chaincode',
    name: 'launch_failures',
    help: 'The number of chaincode launches that have failed.',
    labelNames: ['chaincode'],
  },
  chaincodeShimRequestsReceived: {
    namespace: 'chaincode',
    name: 'shim_requests_received',
    help: 'The number of chaincode shim requests received.',
    labelNames: ['type', 'channel', 'chaincode'],
  },
  chaincodeShimRequestsCompleted: {
    namespace: 'chaincode',
    name: 'shim_requests_completed',
    help: 'The number of chaincode shim requests completed.',
    labelNames: ['type', 'channel', 'chaincode', 'success'],
  },
  loggingEntriesChecked: {
    namespace: 'logging',
    name: 'entries_checked',
    help: 'Number of log entries checked against the active logging level',
    labelNames: ['level'],
  },
  loggingEntriesWritten: {
    namespace: 'logging',
    name: 'entries_written',
    help: 'Number of log entries that are written',
    labelNames: ['level'],
  },
} as const satisfies Record<string, MetricOpts | HistogramOpts>;
