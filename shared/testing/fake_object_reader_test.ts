import { createFakeObjectReader } from "./fake_object_reader.ts";
import { createFakePresigner } from "./fake_presigner.ts";
import { runObjectReaderConformance } from "./object_reader_conformance.ts";

runObjectReaderConformance("fake object reader", () => {
  const fake = createFakePresigner({ clock: { now: () => new Date() }, buckets: ["zipmine-fake"] });
  return Promise.resolve({
    reader: createFakeObjectReader(fake),
    bucket: "zipmine-fake",
    put: (key, body) => Promise.resolve(fake.putObject("zipmine-fake", key, body)),
    teardown: () => Promise.resolve(),
  });
}, { test: Deno.test });
