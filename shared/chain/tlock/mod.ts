/** CRv4: timelocked commit-reveal weights (drand quicknet tlock as subtensor decrypts it). */
export { TlockFormatError } from "./arkworks.ts";
export { decodeTle, encodeTle, type TleCiphertext } from "./ciphertext.ts";
export {
  beaconPublicKey,
  bytesToHex,
  hexToBytes,
  type Pulse,
  pulseRandomness,
  QUICKNET,
  roundAt,
  signRound,
  verifyPulse,
} from "./drand.ts";
export { type Rng, roundIdentity, roundMessage } from "./ibe.ts";
export { decodePayload, encodePayload, type WeightsTlockPayload } from "./payload.ts";
export { type RevealPlan, revealRound, type RevealRoundInput } from "./reveal_round.ts";
export { tlockDecrypt, TlockDecryptError, tlockEncrypt } from "./tlock.ts";
