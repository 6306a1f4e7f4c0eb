// The system chaincode registry: the endorser asks it whether a name is a system chaincode and runs
// it in-process; user chaincode goes to the ChaincodeExecutor instead.
import type { SystemChaincode } from './types.js';

export class SystemChaincodeRegistry {
  private readonly sccs = new Map<string, SystemChaincode>();

  register(scc: SystemChaincode): void {
    if (this.sccs.has(scc.name)) throw new Error(`system chaincode ${scc.name} is already registered`);
    this.sccs.set(scc.name, scc);
  }

  get(name: string): SystemChaincode | undefined {
    return this.sccs.get(name);
  }

  isSysCC(name: string): boolean {
    return this.sccs.has(name);
  }

  names(): string[] {
    return [...this.sccs.keys()];
  }
}
