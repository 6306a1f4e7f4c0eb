// A one-org channel made from dev crypto, and the blocks an orderer would cut for it: signed,
// endorsed transactions with chosen read/write sets. Used by the committer tests and the bench.
import { createHash, randomBytes } from 'node:crypto';
import { type DevOrg, type SigningIdentity, generateOrg, signaturePolicyFromString } from '@fabric-peer/msp';
import {
  MetadataIndex,
  type TxRwSet,
  blockDataHash,
  blockHeaderBytes,
  blockHeaderHash,
  encodeTxRwSet,
} from '@fabric-peer/ledger';
import { common, orderer, protos } from '@fabric-peer/protos';
import { LIFECYCLE_NAMESPACE, encodeChaincodeDefinition } from '../../src/lifecycle/index.js';

export const CHANNEL = 'devchannel';
const T = common.Policy_PolicyType;

const sigPolicy = (rule: string, modPolicy = 'Admins'): common.ConfigPolicy => ({
  version: 0,
  modPolicy,
  policy: {
    type: T.SIGNATURE,
    value: common.SignaturePolicyEnvelope.encode(signaturePolicyFromString(rule)),
  },
});
const metaPolicy = (subPolicy: string, rule: common.ImplicitMetaPolicy_Rule): common.ConfigPolicy => ({
  version: 0,
  modPolicy: 'Admins',
  policy: { type: T.IMPLICIT_META, value: common.ImplicitMetaPolicy.encode({ subPolicy, rule }) },
});
const value = (bytes: Uint8Array): common.ConfigValue => ({ version: 0, modPolicy: 'Admins', value: bytes });
const group = (g: Partial<common.ConfigGroup>): common.ConfigGroup => ({
  version: 0,
  modPolicy: 'Admins',
  groups: {},
  values: {},
  policies: {},
  ...g,
});
const caps = (): common.ConfigValue => value(common.Capabilities.encode({ capabilities: { V2_0: {} } }));
const R = common.ImplicitMetaPolicy_Rule;
const standard = (): Record<string, common.ConfigPolicy> => ({
  Readers: metaPolicy('Readers', R.ANY),
  Writers: metaPolicy('Writers', R.ANY),
  Admins: metaPolicy('Admins', R.MAJORITY),
});

function orgGroup(org: DevOrg, endorsement: boolean): common.ConfigGroup {
  const m = org.mspId;
  return group({
    values: { MSP: value(mspConfigBytes(org)) },
    policies: {
      Readers: sigPolicy(`OR('${m}.member')`),
      Writers: sigPolicy(`OR('${m}.member')`),
      Admins: sigPolicy(`OR('${m}.admin')`),
      ...(endorsement && { Endorsement: sigPolicy(`OR('${m}.peer')`) }),
    },
  });
}

function mspConfigBytes(org: DevOrg): Uint8Array {
  return org.nodes[0]!.toMSP().toMSPConfigBytes();
}

export interface DevChain {
  org: DevOrg;
  ordererOrg: DevOrg;
  peer: SigningIdentity;
  client: SigningIdentity;
  ordererSigner: SigningIdentity;
  genesis: common.Block;
  /** The next block (numbered after the last one made), orderer-signed. */
  cutBlock(envelopes: Uint8Array[]): common.Block;
  /** An endorser transaction of `client`, endorsed by `endorsers` (default: the org's peer). */
  endorserTx(
    cc: string,
    rwSet: TxRwSet,
    opts?: { endorsers?: SigningIdentity[]; creator?: SigningIdentity; channelId?: string; txId?: string },
  ): Uint8Array;
  /** The `_lifecycle` transaction defining `name` with `policy` (an ApplicationPolicy). */
  defineChaincode(name: string, policy: common.ApplicationPolicy): Uint8Array;
}

export async function devChain(): Promise<DevChain> {
  const org = await generateOrg({ kind: 'peer', domain: 'org1.example.com', mspId: 'Org1MSP' });
  const ordererOrg = await generateOrg({ kind: 'orderer', domain: 'example.com', mspId: 'OrdererMSP' });
  const peer = org.nodes[0]!.toMSP().getSigningIdentity();
  const client = org.users[0]!.toMSP().getSigningIdentity();
  const ordererSigner = ordererOrg.nodes[0]!.toMSP().getSigningIdentity();
  const config: common.Config = {
    sequence: 0,
    channelGroup: group({
      values: { Capabilities: caps() },
      policies: standard(),
      groups: {
        Application: group({
          values: { Capabilities: caps() },
          policies: {
            ...standard(),
            Endorsement: metaPolicy('Endorsement', R.MAJORITY),
            LifecycleEndorsement: metaPolicy('Endorsement', R.MAJORITY),
          },
          groups: { Org1MSP: orgGroup(org, true) },
        }),
        Orderer: group({
          values: {
            Capabilities: caps(),
            BatchSize: value(
              orderer.BatchSize.encode({
                maxMessageCount: 100,
                absoluteMaxBytes: 10 << 20,
                preferredMaxBytes: 2 << 20,
              }),
            ),
            BatchTimeout: value(orderer.BatchTimeout.encode({ timeout: '2s' })),
            ConsensusType: value(orderer.ConsensusType.encode({ type: 'solo' })),
          },
          policies: { ...standard(), BlockValidation: metaPolicy('Writers', R.ANY) },
          groups: { OrdererMSP: orgGroup(ordererOrg, false) },
        }),
      },
    }),
  };
  const configTx = envelope(
    ordererSigner,
    common.HeaderType.CONFIG,
    CHANNEL,
    '',
    common.ConfigEnvelope.encode({ config }),
  );
  let last: common.BlockHeader | undefined;
  const cutBlock = (envelopes: Uint8Array[]): common.Block => {
    const header: common.BlockHeader = {
      number: last ? last.number + 1 : 0,
      previousHash: last ? blockHeaderHash(last) : new Uint8Array(),
      dataHash: blockDataHash(envelopes),
    };
    last = header;
    return signBlock({ header, data: { data: envelopes }, metadata: undefined }, ordererSigner);
  };
  const genesis = cutBlock([configTx]);
  const endorserTx: DevChain['endorserTx'] = (cc, rwSet, opts = {}) =>
    buildEndorserTx(
      opts.creator ?? client,
      opts.endorsers ?? [peer],
      opts.channelId ?? CHANNEL,
      cc,
      rwSet,
      opts.txId,
    );
  const defineChaincode = (name: string, policy: common.ApplicationPolicy): Uint8Array => {
    const writes = [
      ...encodeChaincodeDefinition({
        name,
        sequence: 1,
        version: '1.0',
        initRequired: false,
        endorsementPlugin: 'escc',
        validationPlugin: 'vscc',
        validationParameter: common.ApplicationPolicy.encode(policy),
        collections: { config: [] },
      }),
    ].map(([key, v]) => ({ key, isDelete: false, value: v }));
    return endorserTx(LIFECYCLE_NAMESPACE, {
      nsRwSets: [
        {
          namespace: LIFECYCLE_NAMESPACE,
          kvRwSet: { reads: [], rangeQueriesInfo: [], writes, metadataWrites: [] },
          collHashedRwSets: [],
        },
      ],
    });
  };
  return { org, ordererOrg, peer, client, ordererSigner, genesis, cutBlock, endorserTx, defineChaincode };
}

/** (Re)writes the block's SIGNATURES metadata: the orderer signs value ++ signature header ++ header bytes. */
export function signBlock(block: common.Block, signer: SigningIdentity, lastConfig = 0): common.Block {
  const value = common.OrdererBlockMetadata.encode({ lastConfig: { index: lastConfig } });
  const signatureHeader = common.SignatureHeader.encode({
    creator: signer.serialize(),
    nonce: randomBytes(24),
  });
  const headerBytes = blockHeaderBytes(block.header!);
  const signature = signer.sign(Buffer.concat([value, signatureHeader, headerBytes]));
  const md: Uint8Array[] = [
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
    new Uint8Array(),
  ];
  md[MetadataIndex.SIGNATURES] = common.Metadata.encode({
    value,
    signatures: [{ signatureHeader, signature }],
  });
  return { ...block, metadata: { metadata: md } };
}

export function envelope(
  signer: SigningIdentity,
  type: common.HeaderType,
  channelId: string,
  txId: string,
  data: Uint8Array,
  ext?: Uint8Array,
  nonce = randomBytes(24),
): Uint8Array {
  const payload = common.Payload.encode({
    header: {
      channelHeader: common.ChannelHeader.encode({ type, channelId, txId, ...(ext && { extension: ext }) }),
      signatureHeader: common.SignatureHeader.encode({ creator: signer.serialize(), nonce }),
    },
    data,
  });
  return common.Envelope.encode({ payload, signature: signer.sign(payload) });
}

export function buildEndorserTx(
  creator: SigningIdentity,
  endorsers: SigningIdentity[],
  channelId: string,
  cc: string,
  rwSet: TxRwSet,
  txIdOverride?: string,
): Uint8Array {
  const nonce = randomBytes(24);
  const creatorBytes = creator.serialize();
  const txId = txIdOverride ?? createHash('sha256').update(nonce).update(creatorBytes).digest('hex');
  const ext = protos.ChaincodeHeaderExtension.encode({ chaincodeId: { name: cc } });
  const chdr = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    channelId,
    txId,
    extension: ext,
  });
  const shdr = common.SignatureHeader.encode({ creator: creatorBytes, nonce });
  const ccpp = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: { chaincodeId: { name: cc }, input: { args: [Buffer.from('Put')] } },
    }),
  });
  const proposalHash = createHash('sha256').update(chdr).update(shdr).update(ccpp).digest();
  const action = protos.ChaincodeAction.encode({
    results: encodeTxRwSet(rwSet),
    response: { status: 200 },
    chaincodeId: { name: cc, version: '1.0' },
  });
  const prp = protos.ProposalResponsePayload.encode({ proposalHash, extension: action });
  const endorsements = endorsers.map((e) => {
    const endorser = e.serialize();
    return { endorser, signature: e.sign(Buffer.concat([prp, endorser])) };
  });
  const cap = protos.ChaincodeActionPayload.encode({
    chaincodeProposalPayload: ccpp,
    action: { proposalResponsePayload: prp, endorsements },
  });
  const tx = protos.Transaction.encode({ actions: [{ header: shdr, payload: cap }] });
  const payload = common.Payload.encode({ header: { channelHeader: chdr, signatureHeader: shdr }, data: tx });
  return common.Envelope.encode({ payload, signature: creator.sign(payload) });
}
