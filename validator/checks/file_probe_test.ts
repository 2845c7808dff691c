import { assertEquals, assertMatch } from "../../tests/assert.ts";
import { probeParquetFile } from "./file_probe.ts";

Deno.test("probeParquetFile() accepts PAR1 at both ends and refuses everything else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const magic = new TextEncoder().encode("PAR1");
    const good = new Uint8Array(64);
    good.set(magic, 0);
    good.set(magic, 60);
    await Deno.writeFile(`${dir}/good.parquet`, good);
    assertEquals(await probeParquetFile(`${dir}/good.parquet`, 1024), null);
    assertEquals(await probeParquetFile(`${dir}/good.parquet`, 63), "64 bytes exceeds the limit of 63");

    await Deno.writeFile(`${dir}/tail.parquet`, good.subarray(0, 60));
    assertEquals(await probeParquetFile(`${dir}/tail.parquet`, 1024), "not a Parquet file (no PAR1 magic)");
    await Deno.writeFile(`${dir}/tiny.parquet`, magic);
    assertEquals(await probeParquetFile(`${dir}/tiny.parquet`, 1024), "not a Parquet file (4 bytes)");
    assertEquals(await probeParquetFile(`${dir}/none.parquet`, 1024), "missing");
    assertEquals(await probeParquetFile(dir, 1024), "not a regular file");
    await Deno.symlink(`${dir}/loop`, `${dir}/loop`);
    assertMatch((await probeParquetFile(`${dir}/loop`, 1024))!, /^cannot be read: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
