export {
  type ChainProblem,
  type ChainRow,
  type ChainSpec,
  type ChainWalk,
  chainHash,
  GENESIS,
  HashChain,
} from "./chain.ts";
