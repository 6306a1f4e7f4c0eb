// The endorser's Fabric metrics (endorser_*), made once from the provider.
import {
  type Counter,
  DisabledMetricsProvider,
  FABRIC_METRICS,
  type Histogram,
  type MetricsProvider,
} from '../operations/index.js';

type Labels = { channel: string; chaincode: string };

export class EndorserMetrics {
  private readonly proposalsReceived: Counter;
  private readonly successful: Counter;
  private readonly validation: Counter;
  private readonly acl: Counter;
  private readonly duplicates: Counter;
  private readonly endorsements: Counter;
  private readonly simulations: Counter;
  private readonly durations: Histogram;

  constructor(provider: MetricsProvider = new DisabledMetricsProvider()) {
    this.proposalsReceived = provider.newCounter(FABRIC_METRICS.endorserProposalsReceived);
    this.successful = provider.newCounter(FABRIC_METRICS.endorserSuccessfulProposals);
    this.validation = provider.newCounter(FABRIC_METRICS.endorserProposalValidationFailures);
    this.acl = provider.newCounter(FABRIC_METRICS.endorserProposalAclFailures);
    this.duplicates = provider.newCounter(FABRIC_METRICS.endorserDuplicateTransactionFailures);
    this.endorsements = provider.newCounter(FABRIC_METRICS.endorserEndorsementFailures);
    this.simulations = provider.newCounter(FABRIC_METRICS.endorserProposalSimulationFailures);
    this.durations = provider.newHistogram(FABRIC_METRICS.endorserProposalDuration);
  }

  received(): void {
    this.proposalsReceived.add(1);
  }
  succeeded(): void {
    this.successful.add(1);
  }
  validationFailed(): void {
    this.validation.add(1);
  }
  aclFailed(l: Labels): void {
    this.acl.with(l).add(1);
  }
  duplicate(l: Labels): void {
    this.duplicates.with(l).add(1);
  }
  endorsementFailed(l: Labels, chaincodeError: boolean): void {
    this.endorsements.with({ ...l, chaincodeerror: String(chaincodeError) }).add(1);
  }
  simulationFailed(l: Labels): void {
    this.simulations.with(l).add(1);
  }
  duration(l: Labels, success: boolean, seconds: number): void {
    this.durations.with({ ...l, success: String(success) }).observe(seconds);
  }
}
