// The Jest story: in the zero-config dev network, each in-process chaincode handed to createPeer is
// defined on the dev channel during start(), so a test can invoke it right after `await peer.start()`.
// It goes the way `peer lifecycle chaincode approveformyorg` + `commit` go, only without sockets:
// proposals signed by the dev network's Org1 Admin, endorsed by this peer's Endorser (so _lifecycle,
// ACLs and the endorsement policy all apply), broadcast to the embedded orderer, and awaited until the
// peer has committed them from its deliver stream (and they came out VALID).
//
// Idempotence: a chaincode that already has a definition on the channel (a persisted dev network
// started again, or a definition someone changed with the CLI) is left alone - start() never bumps a
// sequence behind the user's back; it logs what it found instead.
import { PrivateKey, SigningIdentity } from '@fabric-peer/msp';
import { common, lifecycle, protos } from '@fabric-peer/protos';
import type { Channel } from '../channel/index.js';
import type { InProcessChaincode } from '../chaincode/index.js';
import { createSignedProposal, createSignedTx, proposalFailure } from '../client/proposal.js';
import type { DevNetwork } from '../devnet/index.js';
import type { Endorser } from '../endorser/index.js';
import type { Logger } from '../logging/index.js';
import type { EmbeddedOrderer } from '../orderer/index.js';

/** An in-process chaincode as createPeer takes it: `define: false` keeps it off the dev channel. */
export type DevChaincode = InProcessChaincode & { define?: boolean };

/** What a dev-defined chaincode is committed as (what `deployCC` would use for a first deploy). */
export const DEV_DEFINITION = { version: '1.0', sequence: 1 } as const;

/** How long one approve or commit may take to come back committed before start() fails. */
const COMMIT_TIMEOUT_MS = 30_000;

export interface DevDefineParts {
  network: DevNetwork;
  channel: Channel;
  endorser: Pick<Endorser, 'processProposal'>;
  orderer: Pick<EmbeddedOrderer, 'broadcast'>;
  chaincodes: Record<string, DevChaincode>;
  /** False with pullBlocks: false - nothing would ever commit, so nothing is defined. */
  pulling: boolean;
  logger: Logger;
}

/** Defines every not-yet-defined chaincode of `chaincodes` (define !== false); returns the names defined. */
export async function defineDevChaincodes(p: DevDefineParts): Promise<string[]> {
  const todo: string[] = [];
  for (const [name, cc] of Object.entries(p.chaincodes)) {
    if (cc.define === false) continue;
    const have = await p.channel.definitions.get(name);
    if (have === undefined) todo.push(name);
    else {
      // Same as a dev definition: the usual restart. Otherwise someone redefined it on purpose.
      const same = have.sequence === DEV_DEFINITION.sequence && have.version === DEV_DEFINITION.version;
      const found = { chaincode: name, sequence: have.sequence, version: have.version };
      if (same) p.logger.debug('chaincode already defined on the dev channel', found);
      else
        p.logger.info('chaincode defined differently on the dev channel; start() leaves it as it is', found);
    }
  }
  if (todo.length === 0) return [];
  if (!p.pulling) {
    p.logger.warn('pullBlocks is false: the peer commits no blocks, so in-process chaincode is not defined', {
      chaincodes: todo.join(','),
    });
    return [];
  }
  const started = performance.now();
  const admin = adminSigner(p.network);
  // All approvals first (they can share a block), then all commits: two blocks whatever the count.
  await Promise.all(todo.map((name) => submit(p, admin, name, 'ApproveChaincodeDefinitionForMyOrg')));
  await Promise.all(todo.map((name) => submit(p, admin, name, 'CommitChaincodeDefinition')));
  p.logger.info('defined in-process chaincode on the dev channel', {
    channel: p.network.channelId,
    chaincodes: todo.join(','),
    ...DEV_DEFINITION,
    ms: Math.round(performance.now() - started),
  });
  return todo;
}

/** Org1's Admin of the dev network, as the signer of the lifecycle transactions. */
function adminSigner(network: DevNetwork): SigningIdentity {
  const msp = network.peer.localMsp;
  return SigningIdentity.from(
    msp.identityFromCertificate(network.admin.certificate),
    PrivateKey.fromPem(network.admin.privateKey),
    'sha256',
  );
}

type LifecycleFn = 'ApproveChaincodeDefinitionForMyOrg' | 'CommitChaincodeDefinition';

function lifecycleArg(fn: LifecycleFn, name: string): Uint8Array {
  const d = { name, ...DEV_DEFINITION };
  // No package: the peer runs the chaincode it was handed in process (resolved by name).
  return fn === 'ApproveChaincodeDefinitionForMyOrg'
    ? lifecycle.ApproveChaincodeDefinitionForMyOrgArgs.encode({ ...d, source: { unavailable: {} } })
    : lifecycle.CommitChaincodeDefinitionArgs.encode(d);
}

/** Endorse -> order -> wait until this peer committed the transaction (valid). */
async function submit(
  p: DevDefineParts,
  admin: SigningIdentity,
  name: string,
  fn: LifecycleFn,
): Promise<void> {
  const what = `${fn} of ${name} on ${p.network.channelId}`;
  const { txId, proposal, signed } = createSignedProposal(
    {
      channelId: p.network.channelId,
      chaincode: '_lifecycle',
      args: [Buffer.from(fn), lifecycleArg(fn, name)],
    },
    admin,
  );
  const response = await p.endorser.processProposal(signed);
  const failed = proposalFailure(response);
  if (failed !== undefined) throw new Error(`dev network: ${what} was not endorsed: ${failed}`);
  const committed = committedCode(p.channel, txId, what);
  try {
    const sent = await p.orderer.broadcast(createSignedTx(proposal, admin, [response]));
    if (sent.status !== common.Status.SUCCESS)
      throw new Error(`dev network: the orderer refused ${what}: ${sent.status} ${sent.info}`);
    const code = await committed.code;
    if (code !== protos.TxValidationCode.VALID)
      throw new Error(`dev network: ${what} committed as ${protos.TxValidationCode[code] ?? code}`);
  } finally {
    committed.cancel();
  }
}

/** The validation code of `txId` once this peer commits the block holding it. */
function committedCode(
  channel: Channel,
  txId: string,
  what: string,
): { code: Promise<number>; cancel(): void } {
  let cancel = (): void => undefined;
  const code = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`dev network: ${what} not committed within ${COMMIT_TIMEOUT_MS} ms`)),
      COMMIT_TIMEOUT_MS,
    );
    const off = channel.onBlockCommitted((e) => {
      const i = (e.block.data?.data ?? []).findIndex((env) => envelopeTxId(env) === txId);
      if (i >= 0) resolve(e.validationCodes[i] ?? protos.TxValidationCode.VALID);
    });
    cancel = () => {
      clearTimeout(timer);
      off();
    };
  });
  return { code, cancel };
}

function envelopeTxId(bytes: Uint8Array): string | undefined {
  try {
    const payload = common.Payload.decode(common.Envelope.decode(bytes).payload);
    return common.ChannelHeader.decode(payload.header?.channelHeader ?? new Uint8Array()).txId;
  } catch {
    return undefined;
  }
}
