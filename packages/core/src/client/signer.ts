// The client's identity: the local MSP folder (CORE_PEER_MSPCONFIGPATH) as CORE_PEER_LOCALMSPID.
import { existsSync } from 'node:fs';
import { MSP, type SigningIdentity } from '@fabric-peer/msp';
import { CLIENT_ERRORS, ClientError } from './errors.js';
import type { ClientSettings } from './settings.js';
import { errorMessage } from '../errors/index.js';

export async function loadSigningIdentity(
  s: Pick<ClientSettings, 'mspId' | 'mspConfigPath'>,
): Promise<SigningIdentity> {
  if (s.mspId === '') {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: 'the local MSP id',
      how: 'CORE_PEER_LOCALMSPID (e.g. Org1MSP)',
    });
  }
  if (s.mspConfigPath === '' || !existsSync(s.mspConfigPath)) {
    throw new ClientError(CLIENT_ERRORS.SETTING_MISSING, {
      what: `the MSP folder (${s.mspConfigPath === '' ? 'empty' : `${s.mspConfigPath} does not exist`})`,
      how: 'CORE_PEER_MSPCONFIGPATH to an MSP folder with signcerts/ and keystore/',
    });
  }
  try {
    const msp = await MSP.fromFolder(s.mspConfigPath, s.mspId, { signer: true });
    return msp.getSigningIdentity();
  } catch (err) {
    throw new ClientError(
      CLIENT_ERRORS.MSP_LOAD,
      { mspId: s.mspId, dir: s.mspConfigPath, reason: errorMessage(err) },
      { cause: err },
    );
  }
}
