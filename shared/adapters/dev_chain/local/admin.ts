/**
 * The local chain's admin calls, standing in for subnet creation, registration, staking, permits,
 * axons and the owner's hyperparameter changes.
 * @module
 */
import { isHotkeyAddress } from "../../../signature.ts";
import { assertU16Vector } from "../../../chain/weight_rules.ts";
import { keys, retry, transact } from "./kv.ts";
import { assertStake, type LocalStore, toLocalNeuron, validateParams } from "./store.ts";
import type {
  Axon,
  CreateSubnetInput,
  LocalHyperparameters,
  LocalNeuron,
  NeuronRecord,
  RegisterNeuronInput,
  SubnetRecord,
} from "./types.ts";

/** Registration: a new uid, or the replacement (pruning) of an existing one. */
function createRegisterNeuron(kv: Deno.Kv, store: LocalStore) {
  const { currentBlock } = store;

  async function registerNeuron(netuid: number, input: RegisterNeuronInput): Promise<LocalNeuron> {
    if (!isHotkeyAddress(input.hotkey)) {
      throw new TypeError(`Cannot register hotkey "${input.hotkey}": not an SS58 address with prefix 42`);
    }
    assertStake(input.stake ?? 0);
    return await transact(async () => {
      const block = currentBlock();
      const [subnet, count, existing] = await retry(() =>
        kv.getMany<[SubnetRecord, number, number]>([
          keys.subnet(netuid),
          keys.count(netuid),
          keys.uid(netuid, input.hotkey),
        ])
      );
      if (subnet.value === null) {
        throw new RangeError(`Subnet ${netuid} does not exist: SubNetworkDoesNotExist`);
      }
      if (existing.value !== null) {
        throw new RangeError(
          `Cannot register hotkey "${input.hotkey}" on subnet ${netuid}: HotKeyAlreadyRegisteredInSubNet`,
        );
      }
      const n = count.value ?? 0;
      const uid = input.uid ?? n;
      const record: NeuronRecord = {
        uid,
        hotkey: input.hotkey,
        coldkey: input.coldkey,
        stake: input.stake ?? 0,
        validatorPermit: input.validatorPermit ?? false,
        axon: input.axon ?? null,
        registeredBlock: block,
        lastUpdate: null,
      };
      const atomic = kv.atomic().check(subnet, count, existing).set(keys.uid(netuid, input.hotkey), uid)
        .set(keys.neuron(netuid, uid), record);
      if (input.uid === undefined) {
        if (n >= subnet.value.params.maxAllowedUids) {
          throw new RangeError(
            `Cannot register on subnet ${netuid}: all ${n} uids are taken; pass a uid to replace`,
          );
        }
        atomic.set(keys.count(netuid), n + 1);
      } else {
        if (!Number.isInteger(uid) || uid < 0 || uid >= n) {
          throw new RangeError(`Cannot replace uid "${uid}" on subnet ${netuid}: it is not registered`);
        }
        // Pruning: the old hotkey leaves, and its weights and pending commits go with it.
        const old = (await retry(() => kv.get<NeuronRecord>(keys.neuron(netuid, uid)))) as Deno.KvEntry<
          NeuronRecord
        >;
        atomic.check(old).delete(keys.uid(netuid, old.value.hotkey)).delete(keys.weights(netuid, uid))
          .delete(keys.timelocked(netuid, uid)).delete(keys.hashCommits(netuid, old.value.hotkey));
      }
      return { atomic, result: toLocalNeuron(record) };
    });
  }

  return registerNeuron;
}

/** The admin calls over `kv`. */
export function createAdmin(kv: Deno.Kv, store: LocalStore) {
  const { requireSubnet, updateNeuron, subnetDefaults } = store;
  const registerNeuron = createRegisterNeuron(kv, store);

  async function createSubnet(netuid: number, input: CreateSubnetInput = {}): Promise<void> {
    assertU16Vector("netuid", [netuid]);
    const params = { ...subnetDefaults, ...input.hyperparameters };
    validateParams(params);
    const record: SubnetRecord = {
      ownerHotkey: input.ownerHotkey ?? null,
      ownerColdkey: input.ownerColdkey ?? null,
      params,
    };
    const result = await retry(() =>
      kv.atomic().check({ key: keys.subnet(netuid), versionstamp: null }).set(keys.subnet(netuid), record)
        .commit()
    );
    if (!result.ok) throw new RangeError(`Cannot create subnet ${netuid}: it exists`);
  }

  async function setHyperparameters(
    netuid: number,
    changes: Partial<LocalHyperparameters>,
  ): Promise<LocalHyperparameters> {
    return await transact(async () => {
      const subnet = await requireSubnet(netuid);
      const params = { ...subnet.value.params, ...changes };
      validateParams(params);
      return {
        atomic: kv.atomic().check(subnet).set(subnet.key, { ...subnet.value, params }),
        result: params,
      };
    });
  }

  return {
    createSubnet,
    setHyperparameters,
    registerNeuron,
    async setStake(netuid: number, hotkey: string, stake: number) {
      assertStake(stake);
      await updateNeuron(netuid, hotkey, (n: NeuronRecord) => ({ ...n, stake }));
    },
    async setValidatorPermit(netuid: number, hotkey: string, permit: boolean) {
      await updateNeuron(netuid, hotkey, (n: NeuronRecord) => ({ ...n, validatorPermit: permit }));
    },
    async setAxon(netuid: number, hotkey: string, axon: Axon | null) {
      await updateNeuron(netuid, hotkey, (n: NeuronRecord) => ({ ...n, axon }));
    },
  };
}
