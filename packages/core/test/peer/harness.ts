// Test harness: real peers (in process, real sockets) on the Fabric 2.5.12 fixtures, and requests
// built and sent with the REAL @hyperledger/fabric-protos (google-protobuf messages, its grpc-js
// clients), as fabric-network and the Go CLI build them.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as fp from '@hyperledger/fabric-protos';
import timestampPb from 'google-protobuf/google/protobuf/timestamp_pb.js';
import { MSP, type SigningIdentity } from '@fabric-peer/msp';
import {
  createPeer,
  LoggingSystem,
  type CreatePeerOptions,
  type PartialPeerConfig,
  type Peer,
} from '../../src/index.js';
// The peer's own client credentials: no IP as the TLS server name when dialling peer.address.
import { clientCredentials } from '../../src/server/index.js';

export const FIXTURE = fileURLToPath(new URL('../../../../test/fixtures/fabric-2.5.12/', import.meta.url));
const ORG1 = join(FIXTURE, 'crypto/peerOrganizations/org1.example.com');
const ORG2 = join(FIXTURE, 'crypto/peerOrganizations/org2.example.com');
export const PEER_MSP_DIR = join(ORG1, 'peers/peer0.org1.example.com/msp');
export const PEER_TLS_DIR = join(ORG1, 'peers/peer0.org1.example.com/tls');
export const TLS_CA = readFileSync(join(PEER_TLS_DIR, 'ca.crt'));

export const genesisBytes = (): Buffer => readFileSync(join(FIXTURE, 'channel/mychannel-genesis.block'));
export const ordererBlockBytes = (n: number): Buffer =>
  readFileSync(join(FIXTURE, `blocks/mychannel-orderer/${n}.block`));

export type Signer = Pick<SigningIdentity, 'serialize' | 'sign'>;
export const adminOrg1 = (): Promise<SigningIdentity> =>
  MSP.fromFolder(join(ORG1, 'users/Admin@org1.example.com/msp'), 'Org1MSP').then((m) =>
    m.getSigningIdentity(),
  );
export const userOrg1 = (): Promise<SigningIdentity> =>
  MSP.fromFolder(join(ORG1, 'users/User1@org1.example.com/msp'), 'Org1MSP').then((m) =>
    m.getSigningIdentity(),
  );
export const adminOrg2 = (): Promise<SigningIdentity> =>
  MSP.fromFolder(join(ORG2, 'users/Admin@org2.example.com/msp'), 'Org2MSP').then((m) =>
    m.getSigningIdentity(),
  );

export const quietLogging = (): LoggingSystem =>
  new LoggingSystem({ spec: 'error', writer: { write: () => true } });

export interface TestPeerOptions {
  /** Data folder (classic-level); in memory when absent. */
  dir?: string;
  tls?: boolean;
  mutualTls?: boolean;
  config?: PartialPeerConfig;
  options?: CreatePeerOptions;
}

export async function startPeer(o: TestPeerOptions = {}): Promise<Peer> {
  const tls = o.tls === true || o.mutualTls === true;
  const peer = await createPeer(
    {
      ...o.config,
      peer: {
        id: 'peer0.org1.example.com',
        localMspId: 'Org1MSP',
        mspConfigPath: PEER_MSP_DIR,
        listenAddress: '127.0.0.1:0',
        fileSystemPath: o.dir ?? join(tmpdir(), 'unused-fabric-peer'),
        ...(tls && {
          tls: {
            enabled: true,
            clientAuthRequired: o.mutualTls === true,
            cert: { file: join(PEER_TLS_DIR, 'server.crt') },
            key: { file: join(PEER_TLS_DIR, 'server.key') },
            rootcert: { file: join(PEER_TLS_DIR, 'ca.crt') },
            clientRootCAs: { files: o.mutualTls === true ? [join(PEER_TLS_DIR, 'ca.crt')] : [] },
          },
        }),
        ...o.config?.peer,
      },
      operations: { listenAddress: '127.0.0.1:0', ...o.config?.operations },
    },
    { inMemory: o.dir === undefined, pullBlocks: false, logging: quietLogging(), ...o.options },
  );
  await peer.start();
  return peer;
}

export function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fabric-peer-test-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Client credentials; with mutual TLS the peer's own TLS pair serves as a client pair (same TLS CA). */
export function credentials(tls: boolean, mutual = false): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  if (!mutual) return clientCredentials({ rootCerts: [TLS_CA] });
  return clientCredentials({
    rootCerts: [TLS_CA],
    key: readFileSync(join(PEER_TLS_DIR, 'server.key')),
    cert: readFileSync(join(PEER_TLS_DIR, 'server.crt')),
  });
}
export const CLIENT_CERT_HASH = (): Uint8Array =>
  createHash('sha256')
    .update(new X509Certificate(readFileSync(join(PEER_TLS_DIR, 'server.crt'))).raw)
    .digest();

const { Timestamp } = timestampPb;

export function nowTimestamp(offsetMs = 0): InstanceType<typeof Timestamp> {
  const ms = Date.now() + offsetMs;
  const ts = new Timestamp();
  ts.setSeconds(Math.floor(ms / 1000));
  ts.setNanos((ms % 1000) * 1e6);
  return ts;
}

export interface ProposalSpec {
  channel: string;
  chaincode: string;
  args: (string | Uint8Array)[];
  signer: Signer;
  type?: number;
  txId?: string;
  timestampOffsetMs?: number;
  transient?: Record<string, Uint8Array>;
  /** Replace the signature (e.g. garbage) after signing. */
  signature?: Uint8Array;
}

/** A SignedProposal as fabric-common builds one. */
export function signedProposal(s: ProposalSpec): fp.peer.SignedProposal {
  const creator = s.signer.serialize();
  const nonce = randomBytes(24);
  const txId = s.txId ?? createHash('sha256').update(nonce).update(creator).digest('hex');
  const ccId = new fp.peer.ChaincodeID();
  ccId.setName(s.chaincode);
  const ext = new fp.peer.ChaincodeHeaderExtension();
  ext.setChaincodeId(ccId);
  const chdr = new fp.common.ChannelHeader();
  chdr.setType(s.type ?? fp.common.HeaderType.ENDORSER_TRANSACTION);
  chdr.setChannelId(s.channel);
  chdr.setTxId(txId);
  chdr.setTimestamp(nowTimestamp(s.timestampOffsetMs));
  chdr.setExtension$(ext.serializeBinary());
  const shdr = new fp.common.SignatureHeader();
  shdr.setCreator(creator);
  shdr.setNonce(nonce);
  const header = new fp.common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  const input = new fp.peer.ChaincodeInput();
  input.setArgsList(s.args.map((a) => (typeof a === 'string' ? Buffer.from(a) : a)));
  const spec = new fp.peer.ChaincodeSpec();
  spec.setType(fp.peer.ChaincodeSpec.Type.GOLANG);
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const cis = new fp.peer.ChaincodeInvocationSpec();
  cis.setChaincodeSpec(spec);
  const cpp = new fp.peer.ChaincodeProposalPayload();
  cpp.setInput(cis.serializeBinary());
  for (const [k, v] of Object.entries(s.transient ?? {})) cpp.getTransientmapMap().set(k, v);
  const proposal = new fp.peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(cpp.serializeBinary());
  const bytes = proposal.serializeBinary();
  const sp = new fp.peer.SignedProposal();
  sp.setProposalBytes(bytes);
  sp.setSignature(s.signature ?? s.signer.sign(bytes));
  return sp;
}

export function endorserClient(address: string, tls = false, mutual = false): fp.peer.EndorserClient {
  return new fp.peer.EndorserClient(address, credentials(tls, mutual));
}

export function processProposal(
  client: fp.peer.EndorserClient,
  sp: fp.peer.SignedProposal,
): Promise<fp.peer.ProposalResponse> {
  return new Promise((resolve, reject) =>
    client.processProposal(sp, (err, res) => (err ? reject(err) : resolve(res!))),
  );
}

export type SeekPos = 'oldest' | 'newest' | 'next' | number | 'max';

function position(p: SeekPos): fp.orderer.SeekPosition {
  const pos = new fp.orderer.SeekPosition();
  if (p === 'oldest') pos.setOldest(new fp.orderer.SeekOldest());
  else if (p === 'newest') pos.setNewest(new fp.orderer.SeekNewest());
  else if (p === 'next') pos.setNextCommit(new fp.orderer.SeekNextCommit());
  else {
    const sp = new fp.orderer.SeekSpecified();
    // google-protobuf uint64 is a JS number: its largest safe value stands for "forever" (MaxUint64 from the Go CLI is tested with our codec).
    sp.setNumber(p === 'max' ? Number.MAX_SAFE_INTEGER : p);
    pos.setSpecified(sp);
  }
  return pos;
}

export interface SeekSpec {
  channel: string;
  start: SeekPos;
  stop: SeekPos;
  signer: Signer;
  failIfNotReady?: boolean;
  tlsCertHash?: Uint8Array;
  timestampOffsetMs?: number;
  signature?: Uint8Array;
}

/** A signed DELIVER_SEEK_INFO envelope, as fabric-common's EventService builds it. */
export function seekEnvelope(s: SeekSpec): fp.common.Envelope {
  const seek = new fp.orderer.SeekInfo();
  seek.setStart(position(s.start));
  seek.setStop(position(s.stop));
  seek.setBehavior(
    s.failIfNotReady === true
      ? fp.orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY
      : fp.orderer.SeekInfo.SeekBehavior.BLOCK_UNTIL_READY,
  );
  const chdr = new fp.common.ChannelHeader();
  chdr.setType(fp.common.HeaderType.DELIVER_SEEK_INFO);
  chdr.setChannelId(s.channel);
  chdr.setTimestamp(nowTimestamp(s.timestampOffsetMs));
  if (s.tlsCertHash) chdr.setTlsCertHash(s.tlsCertHash);
  const shdr = new fp.common.SignatureHeader();
  shdr.setCreator(s.signer.serialize());
  shdr.setNonce(randomBytes(24));
  const header = new fp.common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  const payload = new fp.common.Payload();
  payload.setHeader(header);
  payload.setData(seek.serializeBinary());
  const bytes = payload.serializeBinary();
  const env = new fp.common.Envelope();
  env.setPayload(bytes);
  env.setSignature(s.signature ?? s.signer.sign(bytes));
  return env;
}

export type DeliverMethod = 'deliver' | 'deliverFiltered' | 'deliverWithPrivateData';

/** Sends one seek request; collects responses until a status arrives (or `count` blocks came). */
export async function deliverOnce(
  client: fp.peer.DeliverClient,
  method: DeliverMethod,
  env: fp.common.Envelope,
  opts: { count?: number; timeoutMs?: number } = {},
): Promise<{
  blocks: fp.peer.DeliverResponse[];
  status: number | undefined;
  call: grpc.ClientDuplexStream<fp.common.Envelope, fp.peer.DeliverResponse>;
}> {
  const call = client[method]();
  const blocks: fp.peer.DeliverResponse[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      call.cancel();
      reject(new Error(`deliver timed out after ${blocks.length} responses`));
    }, opts.timeoutMs ?? 5000);
    const done = (status: number | undefined): void => {
      clearTimeout(timer);
      resolve({ blocks, status, call });
    };
    call.on('data', (r: fp.peer.DeliverResponse) => {
      if (r.getTypeCase() === fp.peer.DeliverResponse.TypeCase.STATUS) {
        done(r.getStatus());
        return;
      }
      blocks.push(r);
      if (opts.count !== undefined && blocks.length >= opts.count) done(undefined);
    });
    call.on('error', (err: grpc.ServiceError) => {
      clearTimeout(timer);
      if (err.code === grpc.status.CANCELLED) resolve({ blocks, status: undefined, call });
      else reject(err);
    });
    call.write(env);
  });
}

export function deliverClient(address: string, tls = false, mutual = false): fp.peer.DeliverClient {
  return new fp.peer.DeliverClient(address, credentials(tls, mutual));
}
