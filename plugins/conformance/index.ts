/** `cyntra-planner/conformance`: the backend conformance suite, for vitest in a third party's own project. */
export { runBackendContract } from './backend-contract.js';
export type { ContractCase } from './backend-contract.js';
