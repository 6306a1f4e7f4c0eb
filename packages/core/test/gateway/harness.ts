// A one-org network in process, wired by hand from the components' doors the way createPeer composes
// them: the dev network's crypto and genesis, the embedded orderer (TLS), a peer (ledgers in memory,
// channel joined, blocks pulled from the orderer, Endorser + Deliver + Gateway + Discovery on one TLS
// gRPC server) and in-process contracts run through the real fabric-shim.
import { createHash, randomBytes } from 'node:crypto';
import { LedgerManager, encodeTxRwSet } from '@fabric-peer/ledger';
import { type SigningIdentity } from '@fabric-peer/msp';
import { common, protos } from '@fabric-peer/protos';
import { ACLProvider } from '../../src/acl/index.js';
import { type Channel, ChannelManager } from '../../src/channel/index.js';
import { ChaincodeSupport, type InProcessChaincode, InProcessLauncher } from '../../src/chaincode/index.js';
import { type PartialPeerConfig, type PeerConfig, resolvePeerConfig } from '../../src/config/index.js';
import { DeliverHandler } from '../../src/deliver/index.js';
import { DeliverService } from '../../src/deliverclient/index.js';
import { type DevNetwork, ensureDevNetwork } from '../../src/devnet/index.js';
import { Endorser } from '../../src/endorser/index.js';
import { type GatewayServices, registerGatewayServices } from '../../src/gateway/index.js';
import { LIFECYCLE_NAMESPACE, encodeChaincodeDefinition } from '../../src/lifecycle/index.js';
import { BroadcastClient, EmbeddedOrderer } from '../../src/orderer/index.js';
import { SystemChaincodeRegistry } from '../../src/scc/index.js';
import { GrpcServer } from '../../src/server/index.js';

export interface TestNetwork {
  net: DevNetwork;
  config: PeerConfig;
  channelId: string;
  channel: Channel;
  /** host:port of the peer (TLS, SAN localhost). */
  peerAddress: string;
  ordererAddress: string;
  services: GatewayServices;
  inProcess: InProcessLauncher;
  /** Defines `name` on the channel with `policy` (DSL-free: an ApplicationPolicy) and waits for the block. */
  defineChaincode(name: string, code: InProcessChaincode, policy?: common.ApplicationPolicy): Promise<void>;
  close(): Promise<void>;
}

export interface TestNetworkOptions {
  peer?: PartialPeerConfig;
  maxMessageCount?: number;
  batchTimeout?: string;
}

export async function startTestNetwork(o: TestNetworkOptions = {}): Promise<TestNetwork> {
  const net = await ensureDevNetwork({
    inMemory: true,
    ...(o.maxMessageCount !== undefined && { maxMessageCount: o.maxMessageCount }),
    ...(o.batchTimeout !== undefined && { batchTimeout: o.batchTimeout }),
  });
  const closers: (() => Promise<void> | void)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const orderer = new EmbeddedOrderer({ ...net.orderer, admin: undefined } as typeof net.orderer);
    await orderer.start();
    closers.push(() => orderer.stop());

    const config = resolvePeerConfig({
      peer: {
        id: 'peer0.org1.example.com',
        localMspId: 'Org1MSP',
        listenAddress: '127.0.0.1:0',
        tls: { enabled: true },
        ...o.peer,
      },
    } as PartialPeerConfig);
    const localMSP = net.peer.localMsp;
    const ledgers = await LedgerManager.open({ inMemory: true });
    closers.push(() => ledgers.close());
    // As createPeer: signatures of committed blocks verified on peer.validatorPoolSize worker threads.
    const channels = await ChannelManager.open({ ledgers, validatorPoolSize: config.peer.validatorPoolSize });
    closers.push(() => channels.close());
    const channel = await channels.joinChannel(net.genesisBlock);
    const acl = new ACLProvider({ channels, localMSP });

    const inProcess = new InProcessLauncher();
    const support = new ChaincodeSupport({ launchers: [inProcess], executeTimeoutMs: 30_000 });
    closers.push(async () => {
      await support.close();
      await inProcess.close();
    });
    const endorser = new Endorser({
      channels,
      acl,
      localMSP,
      signer: localMSP.getSigningIdentity(),
      sccs: new SystemChaincodeRegistry(),
      chaincode: support,
      definitions: {
        async chaincodeEndorsementInfo(channelId, name) {
          const def = await channels.channel(channelId).definitions.get(name);
          if (def === undefined) throw new Error(`chaincode ${name} not found`);
          return { version: def.version, endorsementPlugin: def.endorsementPlugin || 'escc' };
        },
      },
      timeWindowMs: config.peer.authentication.timewindow,
    });

    const server = new GrpcServer({
      listenAddress: '127.0.0.1:0',
      tls: { cert: net.peer.tls.cert, key: net.peer.tls.key },
    });
    server.addService(protos.EndorserService, endorser.implementation());
    const deliver = new DeliverHandler({ channels, acl, timeWindowMs: 15 * 60_000, mutualTls: false });
    server.addService(protos.DeliverService, deliver.implementation());
    // The peer's endpoint is known only once bound; discovery reports it, so resolve it lazily.
    let endpoint = '';
    const services = registerGatewayServices(server, {
      config,
      channels,
      endorser,
      acl,
      localMSP,
      endpoint: () => endpoint,
    });
    await server.start();
    endpoint = `localhost:${server.port}`;
    closers.push(async () => {
      services.close();
      deliver.closeAll();
      await server.stop(100);
    });

    const deliverService = new DeliverService({ signer: localMSP.getSigningIdentity(), tls: true });
    deliverService.startDeliverForChannel(channel);
    closers.push(() => deliverService.stop());

    const admin = net.crypto!.peerOrg.admin.toMSP().getSigningIdentity();
    const peerSigner = localMSP.getSigningIdentity();
    const broadcast = new BroadcastClient(orderer.address, { rootCerts: [net.ordererTlsCa] });
    closers.push(() => broadcast.close());

    const defineChaincode: TestNetwork['defineChaincode'] = async (name, code, policy) => {
      inProcess.add(name, code);
      const env = lifecycleTx(admin, peerSigner, net.channelId, name, policy);
      const height = channel.height;
      const committed = new Promise<void>((resolve) => {
        const off = channel.onBlockCommitted((e) => {
          if (e.blockNumber >= height) {
            off();
            resolve();
          }
        });
      });
      const r = await broadcast.broadcast(env);
      if (r.status !== common.Status.SUCCESS) throw new Error(`define ${name}: ${r.status} ${r.info}`);
      await committed;
    };

    return {
      net,
      config,
      channelId: net.channelId,
      channel,
      peerAddress: endpoint,
      ordererAddress: orderer.address,
      services,
      inProcess,
      defineChaincode,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A `_lifecycle` transaction writing the definition of `name`, endorsed by the org's peer. */
export function lifecycleTx(
  creator: SigningIdentity,
  peer: SigningIdentity,
  channelId: string,
  name: string,
  policy: common.ApplicationPolicy = { channelConfigPolicyReference: '/Channel/Application/Endorsement' },
): common.Envelope {
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
  ].map(([key, value]) => ({ key, isDelete: false, value }));
  const results = encodeTxRwSet({
    nsRwSets: [
      {
        namespace: LIFECYCLE_NAMESPACE,
        kvRwSet: { reads: [], rangeQueriesInfo: [], writes, metadataWrites: [] },
        collHashedRwSets: [],
      },
    ],
  });
  const nonce = randomBytes(24);
  const creatorBytes = creator.serialize();
  const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');
  const chdr = common.ChannelHeader.encode({
    type: common.HeaderType.ENDORSER_TRANSACTION,
    channelId,
    txId,
    timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
    extension: protos.ChaincodeHeaderExtension.encode({ chaincodeId: { name: LIFECYCLE_NAMESPACE } }),
  });
  const shdr = common.SignatureHeader.encode({ creator: creatorBytes, nonce });
  const ccpp = protos.ChaincodeProposalPayload.encode({
    input: protos.ChaincodeInvocationSpec.encode({
      chaincodeSpec: {
        chaincodeId: { name: LIFECYCLE_NAMESPACE },
        input: { args: [Buffer.from('CommitChaincodeDefinition')] },
      },
    }),
  });
  const proposalHash = createHash('sha256').update(chdr).update(shdr).update(ccpp).digest();
  const prp = protos.ProposalResponsePayload.encode({
    proposalHash,
    extension: protos.ChaincodeAction.encode({
      results,
      response: { status: 200 },
      chaincodeId: { name: LIFECYCLE_NAMESPACE, version: 'syscc' },
    }),
  });
  const endorser = peer.serialize();
  const endorsement = { endorser, signature: peer.sign(Buffer.concat([prp, endorser])) };
  const cap = protos.ChaincodeActionPayload.encode({
    chaincodeProposalPayload: ccpp,
    action: { proposalResponsePayload: prp, endorsements: [endorsement] },
  });
  const tx = protos.Transaction.encode({ actions: [{ header: shdr, payload: cap }] });
  const payload = common.Payload.encode({ header: { channelHeader: chdr, signatureHeader: shdr }, data: tx });
  return { payload, signature: creator.sign(payload) };
}
