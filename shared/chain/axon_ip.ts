/**
 * Axon addresses as subtensor stores them: the IP as an unsigned integer (a u128 on chain) with an
 * `ip_type` of 4 or 6, and the port as a u16. `serve_axon` takes this form and the neuron info runtime API
 * answers in it; an IPv4 address lives in the low 32 bits. An IP of 0 means "not serving".
 * @module
 */

/** An IP in the chain's form. */
export interface ChainIp {
  ip: bigint;
  ipType: 4 | 6;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAX_U32 = (1n << 32n) - 1n;
const MAX_U128 = (1n << 128n) - 1n;

/** Parses a dotted IPv4 or a textual IPv6 address (with `::` and an embedded IPv4 tail). */
export function ipToChain(text: string): ChainIp {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { ip: v4, ipType: 4 };
  const v6 = parseIpv6(text);
  if (v6 !== null) return { ip: v6, ipType: 6 };
  throw new RangeError(`Invalid IP address: "${text}" is neither IPv4 nor IPv6`);
}

/** Formats the chain's IP integer; throws on an unknown `ipType` or an integer out of range. */
export function ipFromChain(ip: bigint, ipType: number): string {
  if (ip < 0n) throw new RangeError(`Invalid chain IP: "${ip}" is negative`);
  if (ipType === 4) {
    if (ip > MAX_U32) throw new RangeError(`Invalid chain IPv4: "${ip}" exceeds 32 bits`);
    return [24n, 16n, 8n, 0n].map((shift) => String((ip >> shift) & 0xffn)).join(".");
  }
  if (ipType === 6) {
    if (ip > MAX_U128) throw new RangeError(`Invalid chain IPv6: "${ip}" exceeds 128 bits`);
    const groups: number[] = [];
    for (let i = 7; i >= 0; i--) groups.push(Number((ip >> BigInt(i * 16)) & 0xffffn));
    return formatIpv6(groups);
  }
  throw new RangeError(`Invalid chain IP type: "${ipType}" is neither 4 nor 6`);
}

function parseIpv4(text: string): bigint | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  let out = 0n;
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255 || (part.length > 1 && part.startsWith("0"))) return null;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split("::").length > 2) return null;
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const parse = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    const parts = s.split(":");
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const left = parse(head);
  const right = tail === null ? [] : parse(tail);
  if (left === null || right === null) return null;
  const missing = 8 - left.length - right.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...new Array(tail === null ? 0 : missing).fill(0), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

// RFC 5952: lowercase, no leading zeros, the longest run (>= 2) of zero groups as "::".
function formatIpv6(groups: number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  const left = hex.slice(0, best.start).join(":");
  const right = hex.slice(best.start + best.length).join(":");
  return `${left}::${right}`;
}
