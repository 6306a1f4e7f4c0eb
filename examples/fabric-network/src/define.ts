// Defining a chaincode on a channel from a fabric-network app, as `peer lifecycle chaincode
// approveformyorg` and `commit` do: _lifecycle's ApproveChaincodeDefinitionForMyOrg, then
// CommitChaincodeDefinition, submitted by the org's admin to the org's own peers. The arguments are
// protobuf messages (fabric-protos 2.2, the protobufjs codecs fabric-network itself uses). The approval
// names no installed package: the peer runs the chaincode it was handed in process.
import type { Network } from 'fabric-network';
import protos from 'fabric-protos';

const { lifecycle } = protos;

export interface Definition {
  name: string;
  version?: string;
  sequence?: number;
}

export async function defineChaincode(network: Network, mspId: string, def: Definition): Promise<void> {
  const contract = network.getContract('_lifecycle');
  const peers = network.getChannel().getEndorsers(mspId);
  const fields = { name: def.name, version: def.version ?? '1.0', sequence: def.sequence ?? 1 };
  const approve = lifecycle.ApproveChaincodeDefinitionForMyOrgArgs.encode({
    ...fields,
    source: { unavailable: {} },
  }).finish();
  const commit = lifecycle.CommitChaincodeDefinitionArgs.encode(fields).finish();
  // fabric-network passes each argument's bytes through as they are: Buffers are fine at run time.
  const bytes = (b: Uint8Array): string => Buffer.from(b) as unknown as string;
  await contract
    .createTransaction('ApproveChaincodeDefinitionForMyOrg')
    .setEndorsingPeers(peers)
    .submit(bytes(approve));
  await contract
    .createTransaction('CommitChaincodeDefinition')
    .setEndorsingPeers(peers)
    .submit(bytes(commit));
}
