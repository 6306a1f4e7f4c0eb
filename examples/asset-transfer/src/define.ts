// Defining a chaincode on a channel, as `peer lifecycle chaincode approveformyorg` and `commit` do, but
// from the app through fabric-gateway: _lifecycle's ApproveChaincodeDefinitionForMyOrg, then
// CommitChaincodeDefinition (one org, so one approval meets the channel's LifecycleEndorsement).
// The approval names no installed package: the peer runs the chaincode it was handed in process.
import { type Network } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';

export interface Definition {
  name: string;
  version?: string;
  sequence?: number;
}

export async function defineChaincode(network: Network, mspId: string, def: Definition): Promise<void> {
  const lifecycle = network.getContract('_lifecycle');
  const { ApproveChaincodeDefinitionForMyOrgArgs, ChaincodeSource, CommitChaincodeDefinitionArgs } =
    peer.lifecycle;

  const approve = new ApproveChaincodeDefinitionForMyOrgArgs();
  approve.setName(def.name);
  approve.setVersion(def.version ?? '1.0');
  approve.setSequence(def.sequence ?? 1);
  const source = new ChaincodeSource();
  source.setUnavailable(new ChaincodeSource.Unavailable());
  approve.setSource(source);
  await lifecycle.submit('ApproveChaincodeDefinitionForMyOrg', {
    arguments: [approve.serializeBinary()],
    endorsingOrganizations: [mspId],
  });

  const commit = new CommitChaincodeDefinitionArgs();
  commit.setName(def.name);
  commit.setVersion(def.version ?? '1.0');
  commit.setSequence(def.sequence ?? 1);
  await lifecycle.submit('CommitChaincodeDefinition', {
    arguments: [commit.serializeBinary()],
    endorsingOrganizations: [mspId],
  });
}
