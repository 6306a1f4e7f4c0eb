// Fabric's init-required rule (ChaincodeSupport.CheckInvocation): a chaincode defined with
// --init-required answers nothing but an Init until an Init at the current version has run; the Init
// records the version under a reserved key of the chaincode's own namespace, so every peer's rw-set
// agrees on it and a new definition version asks for a new Init.
import type { TxSimulator } from '@fabric-peer/ledger';

/** "\x00" + utf8.MaxRune + "initialized", as Fabric spells the key. */
export const INITIALIZED_KEY = '\u0000\u{10FFFF}initialized';

export interface InitRequirement {
  version: string;
  enforceInit?: boolean;
}

/**
 * Decides whether this invocation runs as INIT. Throws with Fabric's messages when the call must be refused;
 * on an allowed Init it writes the initialized marker into the simulation, as Fabric does.
 */
export async function checkInvocation(
  name: string,
  info: InitRequirement,
  isInit: boolean,
  sim: TxSimulator | undefined,
): Promise<boolean> {
  let needsInitialization = false;
  if (info.enforceInit === true && sim !== undefined) {
    const value = await sim.getState(name, INITIALIZED_KEY);
    needsInitialization = value === undefined || Buffer.from(value).toString('utf8') !== info.version;
  }
  if (isInit) {
    if (info.enforceInit !== true) {
      throw new Error(`chaincode '${name}' does not require initialization but called as init`);
    }
    if (!needsInitialization)
      throw new Error(`chaincode '${name}' is already initialized but called as init`);
    await sim?.setState(name, INITIALIZED_KEY, Buffer.from(info.version, 'utf8'));
    return true;
  }
  if (needsInitialization) {
    throw new Error(`chaincode '${name}' has not been initialized for this version, must call as init first`);
  }
  return false;
}
