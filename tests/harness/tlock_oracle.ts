/**
 * The reference timelock implementation as a DEV-ONLY test oracle: ideal-lab5's arkworks `timelock` crate
 * compiled to wasm (npm @ideallabs/timelock_wasm_wrapper 1.0.0, built from ark-ec 0.4.2 / w3f-bls 0.1.4, the
 * same TLECiphertext layout as the revision subtensor pins). It is a wasm-pack `--target web` build: its
 * default loader fetches the .wasm next to its module, so under Deno it is instantiated synchronously from
 * the file instead. Never imported by production code.
 */
import * as wasm from "@ideallabs/timelock_wasm_wrapper";

let ready = false;

function init(): void {
  if (ready) return;
  const url = import.meta.resolve("@ideallabs/timelock_wasm_wrapper").replace(
    /[^/]+$/,
    "timelock_wasm_wrapper_bg.wasm",
  );
  wasm.initSync({ module: Deno.readFileSync(new URL(url)) });
  ready = true;
}

/** Reference encryption of `message` to `identity` (the 32-byte sha256 of the round) under `publicKey`. */
export function oracleEncrypt(
  identity: Uint8Array,
  message: Uint8Array,
  key: Uint8Array,
  publicKey: Uint8Array,
) {
  init();
  return Uint8Array.from(
    wasm.tle(Array.from(identity), Array.from(message), Array.from(key), Array.from(publicKey), "bls12_381"),
  );
}

/** Reference decryption with the round's signature; throws the reference's error when it does not open. */
export function oracleDecrypt(ciphertext: Uint8Array, signature: Uint8Array): Uint8Array {
  init();
  return Uint8Array.from(wasm.tld(Array.from(ciphertext), Array.from(signature), "bls12_381"));
}
