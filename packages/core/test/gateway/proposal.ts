// Signed proposals and raw gateway calls made by hand, for requests no real client would send.
import { createHash, randomBytes } from 'node:crypto';
import { type Client, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import type { SigningIdentity } from '@fabric-peer/msp';
import { common, gateway, protos } from '@fabric-peer/protos';
import { clientCredentials } from '../../src/server/index.js';

export function signedProposal(
  signer: SigningIdentity,
  channelId: string,
  chaincode: string,
  args: string[],
  transientMap: Record<string, Uint8Array> = {},
): { sp: protos.SignedProposal; txId: string } {
  const nonce = randomBytes(24);
  const creator = signer.serialize();
  const txId = createHash('sha256').update(nonce).update(creator).digest('hex');
  const header = common.Header.encode({
    channelHeader: common.ChannelHeader.encode({
      type: common.HeaderType.ENDORSER_TRANSACTION,
      channelId,
      txId,
      timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
      extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId: { name: chaincode } }),
    }),
    signatureHeader: common.SignatureHeader.encode({ creator, nonce }),
  });
  const payload = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: { chaincodeId: { name: chaincode }, input: { args: args.map((a) => Buffer.from(a)) } },
    }),
    transientMap,
  });
  const proposalBytes = protos.Proposal.encode({ header, payload });
  return { sp: { proposalBytes, signature: signer.sign(proposalBytes) }, txId };
}

const GatewayClient = makeGenericClientConstructor(gateway.GatewayService, 'Gateway');

type Callback<T> = (err: ServiceError | null, r?: T) => void;

export class RawGateway {
  readonly client: Client;

  constructor(address: string, ca: string) {
    this.client = new GatewayClient(address, clientCredentials({ rootCerts: [ca] }));
  }

  call<T>(method: 'evaluate' | 'endorse' | 'submit' | 'commitStatus', req: unknown): Promise<T> {
    const c = this.client as unknown as Record<string, (r: unknown, o: object, cb: Callback<T>) => void>;
    return new Promise((resolve, reject) => {
      c[method]!(req, { deadline: Date.now() + 10_000 }, (err, r) => (err ? reject(err) : resolve(r as T)));
    });
  }

  /** Calls `method` and resolves with the gRPC error (rejects if it succeeded). */
  async refused(
    method: 'evaluate' | 'endorse' | 'submit' | 'commitStatus',
    req: unknown,
  ): Promise<ServiceError> {
    try {
      await this.call(method, req);
    } catch (err) {
      return err as ServiceError;
    }
    throw new Error(`${method} succeeded`);
  }

  close(): void {
    this.client.close();
  }
}
