import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvRecordCounter, readPreparedCsv, writePreparedCsv } from "../../provider/functions/files";

const CSV = 'id,tags\n1,"{""a"":""line one\nline two""}"\n2,{}\n';

/** A download as the client sees it: a stream of chunks, cut anywhere (by default every 5 bytes). */
function download(bytes: Buffer, size = 5): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

describe("prepared CSV files, read as they download", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "prepared-"));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it.each([
    ["gzipped (an export)", gzipSync(CSV)],
    ["plain (a history)", Buffer.from(CSV)],
  ])("%s: rows keyed by the header, a quoted line break inside a cell", async (_, bytes) => {
    expect(await readPreparedCsv(download(bytes))).toEqual([
      { id: "1", tags: '{"a":"line one\nline two"}' },
      { id: "2", tags: "{}" },
    ]);
  });

  it.each([
    ["gzipped", gzipSync(CSV)],
    ["plain", Buffer.from(CSV)],
  ])("%s: written out as CSV text, its rows counted (not its lines)", async (name, bytes) => {
    const out = path.join(dir, `${name}.csv`);
    expect(await writePreparedCsv(download(bytes), out)).toBe(2);
    expect(await fs.readFile(out, "utf8")).toBe(CSV);
  });

  it("tells a gzipped file by its first two bytes even when they come in chunks of one", async () => {
    expect(await readPreparedCsv(download(gzipSync(CSV), 1))).toHaveLength(2);
    expect(await readPreparedCsv(download(Buffer.from(CSV), 1))).toHaveLength(2);
  });

  it("an empty file is no rows; a broken gzip is an error, not a short file", async () => {
    expect(await readPreparedCsv(Readable.from([]))).toEqual([]);
    const broken = gzipSync(CSV).subarray(0, 20);
    await expect(writePreparedCsv(download(broken), path.join(dir, "broken.csv"))).rejects.toThrow();
  });
});

describe("CsvRecordCounter", () => {
  it.each([
    ["a,b\n1,2\n", 2],
    ["a,b\n1,2", 2],
    ["a,b\r\n1,2\r\n\r\n3,4\r\n", 3],
    ['a,b\n1,"x\ny"\n2,"say ""hi""\n"\n', 3],
    ["", 0],
    ["\n\n", 0],
  ])("counts the records of %j: %i", (text, records) => {
    const counter = new CsvRecordCounter();
    // Cut anywhere, as a download is.
    for (const byte of Buffer.from(text)) counter.push(Uint8Array.of(byte));
    expect(counter.count()).toBe(records);
  });
});
