/**
 * The drand round a CRv4 commit is encrypted to, computed as bittensor-drand's `generate_commit` does: the
 * first block of the reveal epoch (epochs of tempo+1 blocks offset by netuid+1), plus 3 blocks of margin,
 * converted to wall time at the expected block time and rounded DOWN to a quicknet round, so the pulse is
 * already on chain when the subnet's epoch reveals. The chain refuses a round below `Drand.LastStoredRound`
 * (InvalidRevealRound), so the result is never less than that.
 */
export const SECURITY_BLOCK_OFFSET = 3;

export interface RevealRoundInput {
  tempo: number;
  currentBlock: number;
  netuid: number;
  revealPeriodEpochs: number;
  blockTimeSeconds: number;
  nowSeconds: number;
  genesisTime: number;
  period: number;
  lastStoredRound?: bigint;
}

export interface RevealPlan {
  revealRound: bigint;
  /** First block of the epoch in which the chain reveals this commit. */
  firstRevealBlock: number;
  /** Block at which the pulse is expected to be on chain. */
  targetBlock: number;
}

export function revealRound(i: RevealRoundInput): RevealPlan {
  const tempoPlusOne = i.tempo + 1;
  const netuidPlusOne = i.netuid + 1;
  const currentEpoch = Math.floor((i.currentBlock + netuidPlusOne) / tempoPlusOne);
  const revealEpoch = currentEpoch + i.revealPeriodEpochs;
  const firstRevealBlock = Math.max(0, revealEpoch * tempoPlusOne - netuidPlusOne);
  const targetBlock = firstRevealBlock + SECURITY_BLOCK_OFFSET;
  const blocksUntil = Math.max(0, targetBlock - i.currentBlock);
  const targetSeconds = i.nowSeconds + blocksUntil * i.blockTimeSeconds;
  let round = BigInt(Math.max(1, Math.floor((targetSeconds - i.genesisTime) / i.period)));
  if (i.lastStoredRound !== undefined && round < i.lastStoredRound) round = i.lastStoredRound;
  return { revealRound: round, firstRevealBlock, targetBlock };
}
