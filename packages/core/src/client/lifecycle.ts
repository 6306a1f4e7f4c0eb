// `peer lifecycle chaincode ...` against _lifecycle: install, queryinstalled, getinstalledpackage,
// approveformyorg, queryapproved, checkcommitreadiness, commit, querycommitted. Queries go to one
// peer; approve and commit are endorsed, ordered and (by default) awaited as the Go CLI does.
import { lifecycle } from '@fabric-peer/protos';
import { invokeChaincode, type InvokeOptions } from './chaincode.js';
import { callSystemChaincode } from './channel.js';
import type { DefinitionArgs } from './definition.js';
import type { OrdererClient } from './ordererclient.js';
import type { PeerClient } from './peerclient.js';

export const LIFECYCLE = '_lifecycle';

const call = (peer: PeerClient, channelId: string, fn: string, arg: Uint8Array): Promise<Uint8Array> =>
  callSystemChaincode(peer, LIFECYCLE, channelId, [fn, arg]);

export async function installChaincode(
  peer: PeerClient,
  pkg: Uint8Array,
): Promise<lifecycle.InstallChaincodeResult> {
  const out = await call(
    peer,
    '',
    'InstallChaincode',
    lifecycle.InstallChaincodeArgs.encode({ chaincodeInstallPackage: pkg }),
  );
  return lifecycle.InstallChaincodeResult.decode(out);
}

export async function queryInstalled(peer: PeerClient): Promise<lifecycle.QueryInstalledChaincodesResult> {
  return lifecycle.QueryInstalledChaincodesResult.decode(
    await call(peer, '', 'QueryInstalledChaincodes', lifecycle.QueryInstalledChaincodesArgs.encode({})),
  );
}

export async function getInstalledPackage(peer: PeerClient, packageId: string): Promise<Uint8Array> {
  const out = await call(
    peer,
    '',
    'GetInstalledChaincodePackage',
    lifecycle.GetInstalledChaincodePackageArgs.encode({ packageId }),
  );
  return lifecycle.GetInstalledChaincodePackageResult.decode(out).chaincodeInstallPackage;
}

export async function queryApproved(
  peer: PeerClient,
  channelId: string,
  name: string,
  sequence: number,
): Promise<lifecycle.QueryApprovedChaincodeDefinitionResult> {
  const out = await call(
    peer,
    channelId,
    'QueryApprovedChaincodeDefinition',
    lifecycle.QueryApprovedChaincodeDefinitionArgs.encode({ name, sequence }),
  );
  return lifecycle.QueryApprovedChaincodeDefinitionResult.decode(out);
}

export async function checkCommitReadiness(
  peer: PeerClient,
  channelId: string,
  d: DefinitionArgs,
): Promise<lifecycle.CheckCommitReadinessResult> {
  const out = await call(
    peer,
    channelId,
    'CheckCommitReadiness',
    lifecycle.CheckCommitReadinessArgs.encode(d),
  );
  return lifecycle.CheckCommitReadinessResult.decode(out);
}

export async function queryCommitted(
  peer: PeerClient,
  channelId: string,
  name: string,
): Promise<lifecycle.QueryChaincodeDefinitionResult> {
  return lifecycle.QueryChaincodeDefinitionResult.decode(
    await call(
      peer,
      channelId,
      'QueryChaincodeDefinition',
      lifecycle.QueryChaincodeDefinitionArgs.encode({ name }),
    ),
  );
}

export async function queryAllCommitted(
  peer: PeerClient,
  channelId: string,
): Promise<lifecycle.QueryChaincodeDefinitionsResult> {
  return lifecycle.QueryChaincodeDefinitionsResult.decode(
    await call(
      peer,
      channelId,
      'QueryChaincodeDefinitions',
      lifecycle.QueryChaincodeDefinitionsArgs.encode({}),
    ),
  );
}

type SubmitOptions = Pick<InvokeOptions, 'waitForEvent' | 'waitForEventTimeoutMs' | 'onCommitted'>;

export async function approveForMyOrg(
  peers: PeerClient[],
  orderer: OrdererClient,
  channelId: string,
  d: DefinitionArgs,
  packageId: string,
  o: SubmitOptions,
): Promise<string> {
  const source = packageId !== '' ? { localPackage: { packageId } } : { unavailable: {} };
  const arg = lifecycle.ApproveChaincodeDefinitionForMyOrgArgs.encode({ ...d, source });
  const { txId } = await invokeChaincode(peers, orderer, {
    channelId,
    chaincode: LIFECYCLE,
    args: [Buffer.from('ApproveChaincodeDefinitionForMyOrg'), arg],
    ...o,
  });
  return txId;
}

export async function commitDefinition(
  peers: PeerClient[],
  orderer: OrdererClient,
  channelId: string,
  d: DefinitionArgs,
  o: SubmitOptions,
): Promise<string> {
  const arg = lifecycle.CommitChaincodeDefinitionArgs.encode(d);
  const { txId } = await invokeChaincode(peers, orderer, {
    channelId,
    chaincode: LIFECYCLE,
    args: [Buffer.from('CommitChaincodeDefinition'), arg],
    ...o,
  });
  return txId;
}
