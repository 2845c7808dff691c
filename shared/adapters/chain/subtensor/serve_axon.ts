/**
 * `serveAxon`: `SubtensorModule.serve_axon`, skipped when the chain already holds the same axon, refused
 * without sending inside the serving rate limit.
 * @module
 */
import { ipToChain } from "../../../chain/axon_ip.ts";
import { assertU16Vector } from "../../../chain/weight_rules.ts";
import { type AxonInfoCodec, type OptionCodec, ss58 } from "./codecs.ts";
import type { AdapterContext } from "./context.ts";
import { DEFAULT_AXON_VERSION, type ServeAxonInput, type ServeAxonResult } from "./types.ts";

export function createServeAxon(ctx: AdapterContext) {
  const { api, reads, log } = ctx;
  return async function serveAxon(input: ServeAxonInput): Promise<ServeAxonResult> {
    const { netuid, port, signer } = input;
    assertU16Vector("netuid", [netuid]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new RangeError(`Cannot serve axon: port "${port}" is not in 1..65535`);
    }
    const { ip, ipType } = ipToChain(input.ip);
    const protocol = input.protocol ?? 4;
    const version = input.version ?? DEFAULT_AXON_VERSION;
    const hotkey = ss58(signer.publicKey);
    const top = await reads.head();
    const at = await api.at(top.hash);
    const current = await at.query.subtensorModule.axons(netuid, hotkey) as unknown as OptionCodec<
      AxonInfoCodec
    >;
    if (current.isSome) {
      const a = current.unwrap();
      const same = a.ip.toBigInt() === ip && a.port.toNumber() === port && a.ipType.toNumber() === ipType &&
        a.protocol.toNumber() === protocol && a.version.toNumber() === version;
      if (same && !input.force) {
        log.info("axon already on chain; serve_axon skipped", { netuid, ip: input.ip, port });
        return { ok: true, block: top.number, skipped: true };
      }
      const limit = (await reads.hyperparameters(netuid, top.hash)).servingRateLimit;
      const lastServe = a.block.toNumber();
      if (limit > 0 && lastServe > 0 && top.number - lastServe < limit) {
        return ctx.refuse("serve_axon", "ServingRateLimitExceeded");
      }
    }
    const build = () => api.tx.subtensorModule.serveAxon(netuid, version, ip, port, ipType, protocol, 0, 0);
    const outcome = await ctx.submitter.submit("serve_axon", build, signer);
    if (!outcome.ok) return ctx.refuse("serve_axon", outcome.error);
    log.info("axon served on subtensor", { netuid, block: outcome.block, ip: input.ip, port });
    return { ok: true, block: outcome.block, skipped: false };
  };
}
