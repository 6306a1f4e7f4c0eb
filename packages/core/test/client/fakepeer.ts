// A stand-in peer and orderer on one plaintext gRPC port, for the client's own tests: Endorser
// answers each (chaincode, function) with a canned Response, Broadcast records envelopes, and
// DeliverFiltered reports every broadcast transaction with a chosen validation code.
import {
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { common, orderer, protos } from '@fabric-peer/protos';

export interface Seen {
  chaincode: string;
  channelId: string;
  args: Uint8Array[];
  isInit: boolean;
  transient: Record<string, Uint8Array>;
}

export interface FakePeer {
  address: string;
  seen: Seen[];
  broadcasts: common.Envelope[];
  answer: (s: Seen) => protos.Response;
  txCode: protos.TxValidationCode;
  stop(): Promise<void>;
}

export async function startFakePeer(answer: (s: Seen) => protos.Response): Promise<FakePeer> {
  const server = new Server();
  const waiting = new Set<ServerDuplexStream<common.Envelope, protos.DeliverResponse>>();
  const fake: FakePeer = {
    address: '',
    seen: [],
    broadcasts: [],
    answer,
    txCode: protos.TxValidationCode.VALID,
    stop: async () => undefined,
  };
  server.addService(protos.EndorserService, {
    processProposal(
      call: ServerUnaryCall<protos.SignedProposal, protos.ProposalResponse>,
      cb: sendUnaryData<protos.ProposalResponse>,
    ) {
      const prop = protos.Proposal.decode(call.request.proposalBytes);
      const ch = common.ChannelHeader.decode(common.Header.decode(prop.header).channelHeader);
      const cpp = protos.ChaincodeProposalPayload.decode(prop.payload);
      const spec = protos.ChaincodeInvocationSpec.decode(cpp.input).chaincodeSpec!;
      const seen: Seen = {
        chaincode: spec.chaincodeId!.name,
        channelId: ch.channelId,
        args: spec.input!.args,
        isInit: spec.input!.isInit,
        transient: cpp.transientMap,
      };
      fake.seen.push(seen);
      const response = fake.answer(seen);
      const payload = protos.ProposalResponsePayload.encode({
        proposalHash: new Uint8Array(32),
        extension: protos.ChaincodeAction.encode({ response }),
      });
      cb(
        null,
        protos.ProposalResponse.create({
          version: 1,
          response,
          payload,
          endorsement: { endorser: new Uint8Array([1]), signature: new Uint8Array([2]) },
        }),
      );
    },
  });
  server.addService(protos.DeliverService, {
    deliver(call: ServerDuplexStream<common.Envelope, protos.DeliverResponse>) {
      call.on('data', () => call.write({ status: common.Status.NOT_FOUND }));
    },
    deliverFiltered(call: ServerDuplexStream<common.Envelope, protos.DeliverResponse>) {
      call.on('data', () => {
        call.write({ filteredBlock: { channelId: 'mychannel', number: 0, filteredTransactions: [] } });
        waiting.add(call);
      });
      call.on('cancelled', () => waiting.delete(call));
      call.on('error', () => waiting.delete(call));
    },
    deliverWithPrivateData() {},
  });
  server.addService(orderer.AtomicBroadcastService, {
    broadcast(call: ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) {
      call.on('data', (env: common.Envelope) => {
        fake.broadcasts.push(env);
        const ch = common.ChannelHeader.decode(common.Payload.decode(env.payload).header!.channelHeader);
        call.write({ status: common.Status.SUCCESS, info: '' });
        setTimeout(() => {
          for (const w of waiting) {
            w.write({
              filteredBlock: {
                channelId: ch.channelId,
                number: 1,
                filteredTransactions: [
                  {
                    txid: ch.txId,
                    type: common.HeaderType.ENDORSER_TRANSACTION,
                    txValidationCode: fake.txCode,
                  },
                ],
              },
            });
          }
        }, 5);
      });
      call.on('end', () => call.end());
    },
    deliver(call: ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) {
      call.on('data', () => call.write({ status: common.Status.NOT_FOUND }));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  fake.address = `127.0.0.1:${port}`;
  fake.stop = () => new Promise((r) => server.tryShutdown(() => r()));
  return fake;
}
