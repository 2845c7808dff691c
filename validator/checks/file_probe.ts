/**
 * The checks of a miner file that need no Parquet reader: it exists, is a regular file, is no larger than
 * the limit, and starts and ends with the Parquet magic. They run before DuckDB sees the file, so a huge
 * or foreign file is refused without being read.
 * @module
 */

const MAGIC = new TextEncoder().encode("PAR1");
/** Header magic, footer length and footer magic: no Parquet file is shorter. */
const MIN_PARQUET_BYTES = 12;

async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  await file.seek(offset, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(buffer.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

function isMagic(bytes: Uint8Array): boolean {
  return bytes.length === MAGIC.length && bytes.every((b, i) => b === MAGIC[i]);
}

/**
 * Why the file at `path` cannot be read as a miner's Parquet file, or null when it may be. Only the size
 * and the first and last 4 bytes are looked at. File-system errors become reasons too: whatever the
 * cause, this miner's file cannot be judged and the validator moves on.
 */
export async function probeParquetFile(path: string, maxBytes: number): Promise<string | null> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return "not a regular file";
    if (info.size > maxBytes) return `${info.size} bytes exceeds the limit of ${maxBytes}`;
    if (info.size < MIN_PARQUET_BYTES) return `not a Parquet file (${info.size} bytes)`;
    using file = await Deno.open(path, { read: true });
    const head = await readAt(file, 0, MAGIC.length);
    const tail = await readAt(file, info.size - MAGIC.length, MAGIC.length);
    return isMagic(head) && isMagic(tail) ? null : "not a Parquet file (no PAR1 magic)";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    if (error instanceof Error && error.name in Deno.errors) return `cannot be read: ${error.message}`;
    throw error;
  }
}
