import { fstatSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { pipeline, Readable } from "node:stream";
import { parse } from "csv-parse";
import { messageOf, UsageError } from "./shared";

/**
 * The longest header line taken, in bytes (64 KiB: thousands of columns). A longer one is refused as it is read,
 * instead of being parsed whole and answered with a message as long.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Why the input stopped being read: the line (1 is the header) and what is wrong with it. */
export interface InputProblem {
  line: number;
  reason: string;
}

/** A problem as the messages say it: `line 3 is not UTF-8 text ...`. */
export function problemText(problem: InputProblem): string {
  return `line ${problem.line} ${problem.reason}`;
}

/** What the messages say of input the CSV parser refused. */
export function unreadableCsv(error: unknown): string {
  return `is not CSV that can be read: ${messageOf(error)}`;
}

/**
 * Checks the bytes of CSV input as they pass, chunk by chunk, and hands on only whole lines that are fine: UTF-8
 * (a byte sequence may end in one chunk and go on in the next) and a header line of at most
 * {@link MAX_HEADER_BYTES}. At the first problem it stops: nothing of that line or after it is handed on, so no
 * row of it is ever sent.
 */
export class InputChecker {
  /** The first problem found; nothing more is handed on after it. */
  problem: InputProblem | undefined;
  /** The line of the next byte (lines are counted from 1, the header). */
  private line = 1;
  /** The bytes of the line not handed on yet (it may end in a later chunk). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** UTF-8 state: continuation bytes still expected, and the range the next one must fall in. */
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** Takes a chunk; returns the whole, checked lines to hand on (maybe none). */
  push(chunk: Uint8Array): Buffer {
    if (this.problem) return Buffer.alloc(0);
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // The end of the last whole line in this chunk (after its \n), -1 for none.
    let lastLineEnd = -1;
    for (let at = 0; at < bytes.length; at++) {
      const byte = bytes[at] as number;
      if (!this.accept(byte)) {
        this.stop(`is not UTF-8 text (byte 0x${byte.toString(16).padStart(2, "0")}): save the file as UTF-8`);
        break;
      }
      if (byte === 0x0a) {
        this.line += 1;
        lastLineEnd = at + 1;
      } else if (this.line === 1 && this.pendingBytes + at + 1 > MAX_HEADER_BYTES) {
        this.stop(`(the header) is longer than ${MAX_HEADER_BYTES / 1024} KiB, the most taken: is this the right file`);
        break;
      }
    }
    if (this.problem) {
      // Only the lines before the one with the problem.
      return lastLineEnd < 0 ? Buffer.alloc(0) : this.take(bytes.subarray(0, lastLineEnd), undefined);
    }
    if (lastLineEnd < 0) {
      this.keep(bytes);
      return Buffer.alloc(0);
    }
    return this.take(bytes.subarray(0, lastLineEnd), bytes.subarray(lastLineEnd));
  }

  /** Ends the input; returns its last line when it has no line break, if it is fine. */
  end(): Buffer {
    if (this.problem) return Buffer.alloc(0);
    if (this.need > 0) {
      this.stop("is not UTF-8 text (it ends inside a character): save the file as UTF-8");
      return Buffer.alloc(0);
    }
    return this.take(Buffer.alloc(0), undefined);
  }

  /** Whether a byte may come next in UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). */
  private accept(byte: number): boolean {
    if (this.need > 0) {
      if (byte < this.lower || byte > this.upper) return false;
      this.need -= 1;
      this.lower = 0x80;
      this.upper = 0xbf;
      return true;
    }
    if (byte < 0x80) return true;
    if (byte >= 0xc2 && byte <= 0xdf) this.need = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.need = 2;
      if (byte === 0xe0) this.lower = 0xa0;
      if (byte === 0xed) this.upper = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.need = 3;
      if (byte === 0xf0) this.lower = 0x90;
      if (byte === 0xf4) this.upper = 0x8f;
    } else return false;
    return true;
  }

  private stop(reason: string): void {
    this.problem = { line: this.line, reason };
    this.pending = [];
    this.pendingBytes = 0;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // Copied: the reader may reuse its chunk's memory.
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
  }

  /** The pending bytes and `lines`, handed on; `rest` becomes pending. */
  private take(lines: Buffer, rest: Buffer | undefined): Buffer {
    const out = this.pending.length > 0 ? Buffer.concat([...this.pending, lines]) : Buffer.from(lines);
    this.pending = [];
    this.pendingBytes = 0;
    if (rest) this.keep(rest);
    return out;
  }
}

/** An import's input, opened once: its bytes, and its size when it is a regular file (else unknown, as a pipe's). */
export interface ImportInput {
  /** The name to show: the path, or `standard input` for `-`. */
  name: string;
  /** Whether the input is a regular file (a pipe or standard input is not). */
  regularFile: boolean;
  /** Its size in bytes when it is a regular file. */
  size: number | undefined;
  chunks: AsyncIterable<Buffer>;
}

/**
 * Opens an import's input once, before anything is sent: `-` is standard input; a missing file, a folder or a
 * file that cannot be read is refused (a usage error naming it). The input is read once, as a stream, so a pipe
 * (`/dev/stdin`, `<(...)`) works.
 */
export async function openImportInput(file: string): Promise<ImportInput> {
  if (file === "") throw new UsageError('devices import needs a CSV file (or - for standard input), not "".');
  if (file === "-") return stdinInput();
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    // Standard input as a socket (as some process runners give it) cannot be opened by name: read it as `-`.
    if ((error as { code?: unknown }).code === "ENXIO" && STDIN_NAMES.includes(file)) return stdinInput();
    throw new UsageError(`cannot read ${file}: ${describeFsError(error)}.`);
  }
  const found = await handle.stat();
  if (found.isDirectory()) {
    await handle.close();
    throw new UsageError(`${file} is a folder: name a CSV file (or - for standard input).`);
  }
  const chunks = handle.createReadStream({ highWaterMark: 64 * 1024 });
  return { name: file, regularFile: found.isFile(), size: found.isFile() ? found.size : undefined, chunks };
}

/** The names of standard input as a file. */
const STDIN_NAMES = ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"];

/** Standard input, with its size when it is redirected from a regular file. */
function stdinInput(): ImportInput {
  const { stdin } = process;
  let size: number | undefined;
  try {
    // Standard input redirected from a file (`< devices.csv`) has a size: the progress can show a share of it.
    const found = fstatSync(0);
    if (found.isFile()) size = found.size;
  } catch {
    // No standard input to look at: read what comes.
  }
  return { name: "standard input", regularFile: size !== undefined, size, chunks: stdin };
}

/** A file system error in a few words (`no such file`, `permission denied`...). */
function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return error instanceof Error ? error.message : String(error);
}

/** One record of the input: its cells, the line it ends on, and how many bytes it took. */
export interface CsvRecord {
  line: number;
  cells: string[];
  bytes: number;
}

/**
 * The records of checked input, read once as a stream. When the checker stops at a problem, the records before it
 * come out and the iteration ends; the caller finds the problem on the checker. A read error or bad CSV throws.
 */
export async function* csvRecords(input: AsyncIterable<Buffer>, checker: InputChecker): AsyncGenerator<CsvRecord> {
  async function* checked(): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      const lines = checker.push(chunk);
      if (lines.length > 0) yield lines;
      // Stop reading at a problem: the rest is never handed on (leaving the loop closes a file).
      if (checker.problem) return;
    }
    const last = checker.end();
    if (last.length > 0) yield last;
  }
  const parser = parse({ info: true, bom: true, skip_empty_lines: true, relax_column_count: true });
  // pipeline hands a read error to the parser, so that the loop below throws it instead of waiting forever.
  pipeline(Readable.from(checked()), parser, () => undefined);
  let before = 0;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number; bytes: number };
  }>) {
    yield { line: info.lines, cells: record, bytes: info.bytes - before };
    before = info.bytes;
  }
}

/**
 * The first problem of a whole regular file (the line and why), read through the same checks and CSV parser as an
 * import and kept nowhere, or `undefined`. A file can be read twice, unlike a pipe: a bad line anywhere in it refuses
 * the import before any request, so that none of it is half sent.
 */
export async function firstProblemOf(file: string): Promise<string | undefined> {
  const handle = await open(file, "r");
  const checker = new InputChecker();
  try {
    for await (const _record of csvRecords(
      handle.createReadStream({ highWaterMark: 64 * 1024, autoClose: false }),
      checker,
    )) {
      // Only read: the import reads the file again.
    }
  } catch (error) {
    return unreadableCsv(error);
  } finally {
    await handle.close();
  }
  return checker.problem ? problemText(checker.problem) : undefined;
}
