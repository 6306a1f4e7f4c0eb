// Fabric 2.5's resource names and default policies (core/aclmgmt/resources, defaultaclprovider.go).
// "Peer" resources are checked against the local MSP without a channel; "channel" resources against
// the channel's policy tree, unless the channel config's ACLs value overrides them.

export const CHANNEL_READERS = '/Channel/Application/Readers';
export const CHANNEL_WRITERS = '/Channel/Application/Writers';

/** Local MSP roles Fabric's policy.Admins / policy.Members name. */
export type LocalPolicy = 'Admins' | 'Members';

export const RESOURCES = {
  Lifecycle_InstallChaincode: '_lifecycle/InstallChaincode',
  Lifecycle_QueryInstalledChaincode: '_lifecycle/QueryInstalledChaincode',
  Lifecycle_GetInstalledChaincodePackage: '_lifecycle/GetInstalledChaincodePackage',
  Lifecycle_QueryInstalledChaincodes: '_lifecycle/QueryInstalledChaincodes',
  Lifecycle_ApproveChaincodeDefinitionForMyOrg: '_lifecycle/ApproveChaincodeDefinitionForMyOrg',
  Lifecycle_QueryApprovedChaincodeDefinition: '_lifecycle/QueryApprovedChaincodeDefinition',
  Lifecycle_CommitChaincodeDefinition: '_lifecycle/CommitChaincodeDefinition',
  Lifecycle_QueryChaincodeDefinition: '_lifecycle/QueryChaincodeDefinition',
  Lifecycle_QueryChaincodeDefinitions: '_lifecycle/QueryChaincodeDefinitions',
  Lifecycle_CheckCommitReadiness: '_lifecycle/CheckCommitReadiness',
  Snapshot_submitrequest: 'snapshot/submitrequest',
  Snapshot_cancelrequest: 'snapshot/cancelrequest',
  Snapshot_listpending: 'snapshot/listpending',
  Lscc_Install: 'lscc/Install',
  Lscc_Deploy: 'lscc/Deploy',
  Lscc_Upgrade: 'lscc/Upgrade',
  Lscc_ChaincodeExists: 'lscc/ChaincodeExists',
  Lscc_GetDeploymentSpec: 'lscc/GetDeploymentSpec',
  Lscc_GetChaincodeData: 'lscc/GetChaincodeData',
  Lscc_GetInstantiatedChaincodes: 'lscc/GetInstantiatedChaincodes',
  Lscc_GetInstalledChaincodes: 'lscc/GetInstalledChaincodes',
  Lscc_GetCollectionsConfig: 'lscc/GetCollectionsConfig',
  Qscc_GetChainInfo: 'qscc/GetChainInfo',
  Qscc_GetBlockByNumber: 'qscc/GetBlockByNumber',
  Qscc_GetBlockByHash: 'qscc/GetBlockByHash',
  Qscc_GetTransactionByID: 'qscc/GetTransactionByID',
  Qscc_GetBlockByTxID: 'qscc/GetBlockByTxID',
  Cscc_JoinChain: 'cscc/JoinChain',
  Cscc_JoinChainBySnapshot: 'cscc/JoinChainBySnapshot',
  Cscc_JoinBySnapshotStatus: 'cscc/JoinBySnapshotStatus',
  Cscc_GetConfigBlock: 'cscc/GetConfigBlock',
  Cscc_GetChannelConfig: 'cscc/GetChannelConfig',
  Cscc_GetChannels: 'cscc/GetChannels',
  Peer_Propose: 'peer/Propose',
  Peer_ChaincodeToChaincode: 'peer/ChaincodeToChaincode',
  Event_Block: 'event/Block',
  Event_FilteredBlock: 'event/FilteredBlock',
  Gateway_CommitStatus: 'gateway/CommitStatus',
  Gateway_ChaincodeEvents: 'gateway/ChaincodeEvents',
} as const;

const R = RESOURCES;

/** Resources checked against the local MSP (Fabric's pResourcePolicyMap). */
export const PEER_RESOURCE_POLICIES: Readonly<Record<string, LocalPolicy>> = {
  [R.Lifecycle_InstallChaincode]: 'Admins',
  [R.Lifecycle_QueryInstalledChaincode]: 'Admins',
  [R.Lifecycle_GetInstalledChaincodePackage]: 'Admins',
  [R.Lifecycle_QueryInstalledChaincodes]: 'Admins',
  [R.Lifecycle_ApproveChaincodeDefinitionForMyOrg]: 'Admins',
  [R.Lifecycle_QueryApprovedChaincodeDefinition]: 'Admins',
  [R.Snapshot_submitrequest]: 'Admins',
  [R.Snapshot_cancelrequest]: 'Admins',
  [R.Snapshot_listpending]: 'Admins',
  [R.Lscc_Install]: 'Admins',
  [R.Lscc_GetInstalledChaincodes]: 'Admins',
  [R.Cscc_JoinChain]: 'Admins',
  [R.Cscc_JoinChainBySnapshot]: 'Admins',
  [R.Cscc_JoinBySnapshotStatus]: 'Admins',
  [R.Cscc_GetChannels]: 'Members',
};

/** Channel resources and their default policy (Fabric's cResourcePolicyMap). "" = covered by peer/Propose. */
export const CHANNEL_RESOURCE_POLICIES: Readonly<Record<string, string>> = {
  [R.Lifecycle_CommitChaincodeDefinition]: CHANNEL_WRITERS,
  [R.Lifecycle_QueryChaincodeDefinition]: CHANNEL_WRITERS,
  [R.Lifecycle_QueryChaincodeDefinitions]: CHANNEL_WRITERS,
  [R.Lifecycle_CheckCommitReadiness]: CHANNEL_WRITERS,
  [R.Lscc_Deploy]: '',
  [R.Lscc_Upgrade]: '',
  [R.Lscc_ChaincodeExists]: CHANNEL_READERS,
  [R.Lscc_GetDeploymentSpec]: CHANNEL_READERS,
  [R.Lscc_GetChaincodeData]: CHANNEL_READERS,
  [R.Lscc_GetInstantiatedChaincodes]: CHANNEL_READERS,
  [R.Lscc_GetCollectionsConfig]: CHANNEL_READERS,
  [R.Qscc_GetChainInfo]: CHANNEL_READERS,
  [R.Qscc_GetBlockByNumber]: CHANNEL_READERS,
  [R.Qscc_GetBlockByHash]: CHANNEL_READERS,
  [R.Qscc_GetTransactionByID]: CHANNEL_READERS,
  [R.Qscc_GetBlockByTxID]: CHANNEL_READERS,
  [R.Cscc_GetConfigBlock]: CHANNEL_READERS,
  [R.Cscc_GetChannelConfig]: CHANNEL_READERS,
  [R.Peer_Propose]: CHANNEL_WRITERS,
  [R.Peer_ChaincodeToChaincode]: CHANNEL_WRITERS,
  [R.Event_Block]: CHANNEL_READERS,
  [R.Event_FilteredBlock]: CHANNEL_READERS,
  [R.Gateway_CommitStatus]: CHANNEL_READERS,
  [R.Gateway_ChaincodeEvents]: CHANNEL_READERS,
};

/** An ACLs value's policy_ref: absolute, or relative to /Channel/Application (Fabric's newAPIProvider). */
export function absolutePolicyRef(ref: string): string {
  return ref.startsWith('/') ? ref : `/Channel/Application/${ref}`;
}
