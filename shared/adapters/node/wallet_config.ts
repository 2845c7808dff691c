/**
 * The wallet knobs of the programs that hold a hotkey (miner, validator); `wallet.ts` reads the files. btcli's
 * --wallet.name / --wallet.hotkey / --wallet.path override these.
 * @module
 */
import { z } from "zod";
import { knob, type Resolved, text } from "../../config.ts";

export const WALLET_KNOBS = {
  WALLET_NAME: knob(text, "default", "Bittensor wallet (coldkey) name", ["miner", "validator"]),
  WALLET_HOTKEY: knob(text, "default", "Hotkey name inside the wallet", ["miner", "validator"]),
  WALLET_PATH: knob(z.string().trim(), "", "Wallets root (empty: ~/.bittensor/wallets)", [
    "miner",
    "validator",
  ]),
} as const;

/** The wallet knobs, resolved. */
export type WalletConfig = Resolved<typeof WALLET_KNOBS>;
