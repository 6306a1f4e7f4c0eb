// Requests built with the peer's own codecs, for tests that must not load @hyperledger/fabric-protos
// 0.3.7: fabric-shim 2.5.8 brings fabric-protos 0.2.2, and both register their google-protobuf
// classes in one global `proto` namespace, so in-process chaincode breaks ("Error serializing
// response") when the two meet in one process.
import { createHash, randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { common, protos } from '@fabric-peer/protos';

export interface OwnSigner {
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function ownSignedProposal(
  channel: string,
  chaincode: string,
  args: string[],
  signer: OwnSigner,
): protos.SignedProposal {
  const creator = signer.serialize();
  const nonce = randomBytes(24);
  const txId = createHash('sha256').update(nonce).update(creator).digest('hex');
  const chaincodeId = protos.ChaincodeID.create({ name: chaincode });
  const now = Date.now();
  const bytes = protos.Proposal.encode({
    header: common.Header.encode({
      channelHeader: common.ChannelHeader.encode({
        type: common.HeaderType.ENDORSER_TRANSACTION,
        channelId: channel,
        txId,
        timestamp: { seconds: Math.floor(now / 1000), nanos: (now % 1000) * 1e6 },
        extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId }),
      }),
      signatureHeader: common.SignatureHeader.encode({ creator, nonce }),
    }),
    payload: protos.ChaincodeProposalPayload.encode({
      input: protos.ChaincodeInvocationSpec.encode({
        chaincodeSpec: {
          type: protos.ChaincodeSpec_Type.NODE,
          chaincodeId,
          input: { args: args.map((a) => Buffer.from(a)) },
        },
      }),
    }),
  });
  return protos.SignedProposal.create({ proposalBytes: bytes, signature: signer.sign(bytes) });
}

const EndorserClient = grpc.makeGenericClientConstructor(protos.EndorserService, 'Endorser');
type Client = grpc.Client & {
  processProposal(
    sp: protos.SignedProposal,
    cb: (err: grpc.ServiceError | null, r?: protos.ProposalResponse) => void,
  ): void;
};

export function ownEndorser(
  address: string,
  creds: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): {
  call(sp: protos.SignedProposal): Promise<protos.ProposalResponse>;
  close(): void;
} {
  const c = new EndorserClient(address, creds) as unknown as Client;
  return {
    call: (sp) =>
      new Promise((resolve, reject) => c.processProposal(sp, (err, r) => (err ? reject(err) : resolve(r!)))),
    close: () => c.close(),
  };
}
