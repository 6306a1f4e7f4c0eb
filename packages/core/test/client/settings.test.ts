// Client settings as the Go CLI reads them: core.yaml (optional) + CORE_*, TLS roots, mutual TLS,
// orderer flags; each missing piece is named with the variable or flag to set.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadClientSettings,
  loadSigningIdentity,
  ordererEndpoint,
  peerEndpoint,
} from '../../src/client/index.js';

const fx = (p: string): string =>
  new URL(`../../../../test/fixtures/fabric-2.5.12/${p}`, import.meta.url).pathname;
const org1 = fx('crypto/peerOrganizations/org1.example.com');

describe('client settings', () => {
  it('CORE_PEER_* give the peer, the MSP and TLS, with the fixture core.yaml from FABRIC_CFG_PATH', async () => {
    const s = loadClientSettings({
      env: {
        FABRIC_CFG_PATH: fx('config'),
        CORE_PEER_ADDRESS: '127.0.0.1:28151',
        CORE_PEER_LOCALMSPID: 'Org1MSP',
        CORE_PEER_MSPCONFIGPATH: `${org1}/users/Admin@org1.example.com/msp`,
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: `${org1}/peers/peer0.org1.example.com/tls/ca.crt`,
        CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
        CORE_PEER_TLS_CLIENTCERT_FILE: `${org1}/users/Admin@org1.example.com/tls/client.crt`,
        CORE_PEER_TLS_CLIENTKEY_FILE: `${org1}/users/Admin@org1.example.com/tls/client.key`,
      },
    });
    assert.equal(s.configFile, `${fx('config')}/core.yaml`);
    assert.equal(s.peerAddress, '127.0.0.1:28151');
    const e = peerEndpoint(s);
    assert.equal(e.tls?.rootCerts.length, 1);
    assert.ok(e.tls?.cert && e.tls.key);
    const signer = await loadSigningIdentity(s);
    assert.equal(signer.mspId, 'Org1MSP');
  });

  it('missing pieces name what to set', async () => {
    const s = loadClientSettings({ env: { CORE_PEER_TLS_ENABLED: 'true' }, cwd: '/' });
    // Fabric's defaults fill both (peer.address, tls/ca.crt): the file then is not found, and says so.
    assert.throws(() => peerEndpoint(s), /\(CORE_PEER_TLS_ROOTCERT_FILE\) \/tls\/ca\.crt: no such file/);
    assert.throws(() => peerEndpoint({ ...s, peerAddress: '' }), /CORE_PEER_ADDRESS/);
    assert.throws(
      () => peerEndpoint({ ...s, tls: { ...s.tls, rootCertFile: '' } }, 'localhost:7051'),
      /CORE_PEER_TLS_ROOTCERT_FILE/,
    );
    const mtls = loadClientSettings({
      env: {
        CORE_PEER_ADDRESS: 'x:1',
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_TLS_ROOTCERT_FILE: `${org1}/tlsca/tlsca.org1.example.com-cert.pem`,
        CORE_PEER_TLS_CLIENTAUTHREQUIRED: 'true',
      },
      cwd: '/',
    });
    assert.throws(() => peerEndpoint(mtls), /CORE_PEER_TLS_CLIENTCERT_FILE and CORE_PEER_TLS_CLIENTKEY_FILE/);
    await assert.rejects(loadSigningIdentity({ mspId: '', mspConfigPath: '/x' }), /CORE_PEER_LOCALMSPID/);
    await assert.rejects(
      loadSigningIdentity({ mspId: 'Org1MSP', mspConfigPath: '/no/msp' }),
      /CORE_PEER_MSPCONFIGPATH/,
    );
    await assert.rejects(loadSigningIdentity({ mspId: 'Org1MSP', mspConfigPath: `${org1}/tlsca` }), {
      code: 'CLIENT_MSP_LOAD_FAILED',
    });
  });

  it('orderer flags: --tls needs --cafile, --clientauth needs --certfile/--keyfile, hostname override kept', () => {
    assert.deepEqual(ordererEndpoint({ address: 'o:7050' }), { address: 'o:7050' });
    assert.throws(() => ordererEndpoint({ address: '' }), /-o\/--orderer/);
    assert.throws(() => ordererEndpoint({ address: 'o:7050', tls: true }), /--cafile/);
    const ca = fx('crypto/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem');
    assert.throws(
      () => ordererEndpoint({ address: 'o:7050', tls: true, cafile: ca, clientauth: true }),
      /--certfile and --keyfile/,
    );
    const e = ordererEndpoint({
      address: 'o:7050',
      tls: true,
      cafile: ca,
      hostnameOverride: 'orderer.example.com',
    });
    assert.equal(e.tls?.serverNameOverride, 'orderer.example.com');
    assert.throws(
      () => ordererEndpoint({ address: 'o:7050', tls: true, cafile: '/no/ca.pem' }),
      /cannot read the orderer's TLS CA \(--cafile\) \/no\/ca\.pem: no such file/,
    );
  });
});
