// The generated service definitions work with @grpc/grpc-js as they are: serve, call, stream, close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { common, grpc as grpcProtos, orderer, protos } from '@fabric-peer/protos';

type Unary<Req, Res> = (
  req: Req,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

test('Endorser unary, Deliver bidi stream, Admin and Health: a loopback round trip', async () => {
  const server = new grpc.Server();
  server.addService(protos.EndorserService, {
    processProposal: (
      call: grpc.ServerUnaryCall<protos.SignedProposal, protos.ProposalResponse>,
      cb: grpc.sendUnaryData<protos.ProposalResponse>,
    ) => {
      const proposal = protos.Proposal.decode(call.request.proposalBytes);
      cb(
        null,
        protos.ProposalResponse.create({
          version: 1,
          response: { status: 200, payload: proposal.payload },
          endorsement: { endorser: call.request.signature },
        }),
      );
    },
  });
  server.addService(protos.DeliverService, {
    deliver: (call: grpc.ServerDuplexStream<common.Envelope, protos.DeliverResponse>) => {
      call.on('data', (env: common.Envelope) => {
        const seek = orderer.SeekInfo.decode(env.payload);
        const n = seek.start?.specified?.number ?? 0;
        call.write({ block: { header: { number: n } } } as protos.DeliverResponse);
        call.write({ status: common.Status.SUCCESS } as protos.DeliverResponse);
      });
      call.on('end', () => call.end());
    },
    deliverFiltered: () => undefined,
    deliverWithPrivateData: () => undefined,
  });
  server.addService(protos.AdminService, {
    getLogSpec: (_call: unknown, cb: grpc.sendUnaryData<protos.LogSpecResponse>) =>
      cb(null, protos.LogSpecResponse.create({ logSpec: 'info' })),
  });
  server.addService(grpcProtos.health.v1.HealthService, {
    check: (_call: unknown, cb: grpc.sendUnaryData<grpcProtos.health.v1.HealthCheckResponse>) =>
      cb(null, { status: grpcProtos.health.v1.HealthCheckResponse_ServingStatus.SERVING }),
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const address = `127.0.0.1:${port}`;
  const creds = grpc.credentials.createInsecure();
  const Endorser = grpc.makeGenericClientConstructor(protos.EndorserService, 'Endorser');
  const Deliver = grpc.makeGenericClientConstructor(protos.DeliverService, 'Deliver');
  const Admin = grpc.makeGenericClientConstructor(protos.AdminService, 'Admin');
  const Health = grpc.makeGenericClientConstructor(grpcProtos.health.v1.HealthService, 'Health');
  const endorser = new Endorser(address, creds);
  const deliver = new Deliver(address, creds);
  const admin = new Admin(address, creds);
  const health = new Health(address, creds);
  try {
    const processProposal = (
      endorser as unknown as Record<string, Unary<protos.SignedProposal, protos.ProposalResponse>>
    ).processProposal!.bind(endorser);
    const res = await new Promise<protos.ProposalResponse>((resolve, reject) =>
      processProposal(
        protos.SignedProposal.create({
          proposalBytes: protos.Proposal.encode({ payload: new TextEncoder().encode('hello') }),
          signature: new Uint8Array([1, 2, 3]),
        }),
        (err, r) => (err ? reject(err) : resolve(r!)),
      ),
    );
    assert.equal(res.version, 1);
    assert.equal(res.response?.status, 200);
    assert.equal(new TextDecoder().decode(res.response?.payload), 'hello');
    assert.deepEqual(res.endorsement?.endorser, new Uint8Array([1, 2, 3]));
    // the generic client also answers to the proto method name
    assert.equal(typeof (endorser as unknown as Record<string, unknown>).ProcessProposal, 'function');

    const stream = (
      deliver as unknown as Record<
        string,
        () => grpc.ClientDuplexStream<common.Envelope, protos.DeliverResponse>
      >
    ).deliver!.call(deliver);
    const got: protos.DeliverResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (r: protos.DeliverResponse) => got.push(r));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    stream.write(
      common.Envelope.create({
        payload: orderer.SeekInfo.encode({
          start: { specified: { number: 7 } },
          stop: { specified: { number: 7 } },
        }),
      }),
    );
    stream.end();
    await done;
    assert.equal(got.length, 2);
    assert.equal(got[0]!.block?.header?.number, 7);
    assert.equal(got[1]!.status, common.Status.SUCCESS);
    assert.equal(got[1]!.block, undefined);

    const getLogSpec = (
      admin as unknown as Record<string, Unary<common.Envelope, protos.LogSpecResponse>>
    ).getLogSpec!.bind(admin);
    const spec = await new Promise<protos.LogSpecResponse>((resolve, reject) =>
      getLogSpec(common.Envelope.create(), (err, r) => (err ? reject(err) : resolve(r!))),
    );
    assert.deepEqual(spec, { logSpec: 'info', error: '' });

    const check = (
      health as unknown as Record<
        string,
        Unary<grpcProtos.health.v1.HealthCheckRequest, grpcProtos.health.v1.HealthCheckResponse>
      >
    ).check!.bind(health);
    const h = await new Promise<grpcProtos.health.v1.HealthCheckResponse>((resolve, reject) =>
      check({ service: '' }, (err, r) => (err ? reject(err) : resolve(r!))),
    );
    assert.equal(h.status, grpcProtos.health.v1.HealthCheckResponse_ServingStatus.SERVING);
  } finally {
    endorser.close();
    deliver.close();
    admin.close();
    health.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }
});

test('service definitions: paths, streaming flags and serializers', () => {
  assert.equal(protos.EndorserService.processProposal.path, '/protos.Endorser/ProcessProposal');
  assert.equal(protos.EndorserService.processProposal.originalName, 'ProcessProposal');
  assert.equal(orderer.AtomicBroadcastService.broadcast.requestStream, true);
  assert.equal(orderer.AtomicBroadcastService.broadcast.responseStream, true);
  assert.equal(protos.AdminService.revertLogLevels.path, '/protos.Admin/RevertLogLevels');
  assert.equal(grpcProtos.health.v1.HealthService.watch.responseStream, true);
  assert.equal(grpcProtos.health.v1.HealthService.watch.path, '/grpc.health.v1.Health/Watch');
  const buf = protos.EndorserService.processProposal.requestSerialize(
    protos.SignedProposal.create({ signature: new Uint8Array([9]) }),
  );
  assert.ok(Buffer.isBuffer(buf));
  assert.deepEqual(
    protos.EndorserService.processProposal.requestDeserialize(buf).signature,
    new Uint8Array([9]),
  );
});
