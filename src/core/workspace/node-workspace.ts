// Workspace over node:fs, confined to one root: what the CLI and the tests use (the
// extension has its own over workspace.fs). Every path goes through `resolve`, which
// fails closed: `..`/absolute paths outside the root, `~`, NUL, URL-encoded separators,
// Windows drive/UNC/stream/trailing-dot forms, over-long paths, and symlinks leading out
// (checked on the real path of the deepest existing ancestor, and a dangling final link
// is refused) all become ToolErrors before anything is touched.
//
// Writes are atomic (temp file in the same directory, then rename), so a cancelled or
// crashed write never leaves half a file, and rewriting an existing file keeps its
// encoding (UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM, or Latin-1 byte-for-byte for
// anything that is not valid UTF-8), its line endings and its mode. No fsync: rename
// atomicity covers cancellation and crashes of Rozet; power loss is out of scope.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { ModelError } from '../model/chat';
import { byteOrderMark, isBinary, MAX_READ_BYTES, type ByteOrderMark } from './file-content';
import { enterFolder, GITIGNORE_FILE, isHidden, layersAbove, type IgnoreLayer, type ReadText } from './ignore-rules';
import { ROZETIGNORE_FILE, rozetIgnoreCheck, type ForbiddenCheck } from './rozet-ignore';
import { confineToRoot, isOutside, normaliseRelative, type Confined } from './path-confinement';
import {
  ToolError,
  type ListEntry,
  type ListResult,
  type ReadResult,
  type StatResult,
  type Workspace,
  type WriteResult,
} from './workspace';
import { errorMessage } from '../text/error-message';

export interface NodeWorkspaceOptions {
  /** Bytes returned by one read (default: the shared MAX_READ_BYTES); larger files are cut and flagged `truncated`. */
  maxReadBytes?: number;
  /** Most entries one list returns. */
  maxListEntries?: number;
  /** Auto-detected from the root when not given. */
  caseInsensitive?: boolean;
}

const MAX_SEGMENT_CHARS = 255;

type Encoding = 'utf8' | ByteOrderMark | 'latin1';

export class NodeWorkspace implements Workspace {
  readonly root: string;
  readonly description: string;
  readonly caseInsensitive: boolean;
  private readonly maxReadBytes: number;
  private readonly maxListEntries: number;

  private readonly forbidden: ForbiddenCheck;
  /** Ignore files are read from the root as they are, never through `resolve` (.rozetignore itself is fine to read). */
  private readonly readText: ReadText = (relative) =>
    fsp.readFile(nodePath.join(this.root, ...relative.split('/')), 'utf8').catch(() => undefined);

  constructor(root: string, options: NodeWorkspaceOptions = {}) {
    this.root = fs.realpathSync.native(nodePath.resolve(root));
    this.description = this.root;
    this.caseInsensitive = options.caseInsensitive ?? detectCaseInsensitive(this.root);
    this.maxReadBytes = options.maxReadBytes ?? MAX_READ_BYTES;
    this.maxListEntries = options.maxListEntries ?? 2000;
    // Read once: workers cannot change it (it is a protected path) and a run is short.
    this.forbidden = rozetIgnoreCheck(readIfExists(nodePath.join(this.root, ROZETIGNORE_FILE)));
  }

  lockKey(path: string): string {
    const { relative } = this.resolve(path);
    return this.caseInsensitive ? relative.toLowerCase() : relative;
  }

  async read(path: string, signal?: AbortSignal): Promise<ReadResult> {
    throwIfAborted(signal);
    const { real, relative } = this.resolve(path);
    const stat = await statOrUndefined(real);
    if (!stat) throw new ToolError(`${path}: no such file. Use list_files to see what exists.`);
    if (stat.isDirectory()) throw new ToolError(`${path} is a directory; use list_files to see its contents.`);
    const truncated = stat.size > this.maxReadBytes;
    const bytes = truncated ? await readHead(real, this.maxReadBytes) : await fsp.readFile(real);
    if (isBinary(bytes)) throw new ToolError(`${relative} is a binary file; read_file only reads text.`);
    const { text } = decode(bytes, truncated);
    return { content: text, truncated, version: `${stat.mtimeMs}:${stat.size}` };
  }

  async write(path: string, content: string, signal?: AbortSignal): Promise<WriteResult> {
    throwIfAborted(signal);
    const { real, relative } = this.resolve(path);
    if (relative === '') throw new ToolError('Cannot write to the workspace root itself; give a file path.');
    const existing = await statOrUndefined(real);
    if (existing?.isDirectory()) throw new ToolError(`${path} is a directory.`);
    // The atomic rename would replace a read-only file (only the folder's permission
    // counts), and root ignores permission bits: honour the file's own mode explicitly.
    if (existing && (existing.mode & 0o222) === 0)
      throw new ToolError(
        `${relative} is read-only, so nothing was written. Ask the user to make it writable (chmod u+w) if it should change.`,
      );
    let bytes: Buffer;
    if (existing) {
      const old = await fsp.readFile(real);
      if (isBinary(old)) bytes = Buffer.from(content, 'utf8');
      else {
        const previous = decode(old, false);
        bytes = encode(keepLineEndings(content.replace(/^\uFEFF/, ''), previous.text), previous.encoding, relative);
      }
    } else {
      bytes = Buffer.from(content, 'utf8');
      await fsp.mkdir(nodePath.dirname(real), { recursive: true });
    }
    const temp = nodePath.join(
      nodePath.dirname(real),
      `.${nodePath.basename(real)}.rozet-${randomBytes(6).toString('hex')}.tmp`,
    );
    try {
      await fsp.writeFile(temp, bytes, { flag: 'wx', mode: existing ? existing.mode & 0o7777 : 0o644 });
      throwIfAborted(signal);
      await fsp.rename(temp, real);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      if (error instanceof ModelError || error instanceof ToolError) throw error;
      throw new ToolError(
        `Could not write ${relative}${writeFailureHint((error as NodeJS.ErrnoException).code)}; the file was left as it was. (${errorMessage(error)})`,
      );
    }
    return { created: !existing, bytes: bytes.length };
  }

  async list(path: string, recursive: boolean, signal?: AbortSignal): Promise<ListResult> {
    const start = this.resolve(path || '.');
    const stat = await statOrUndefined(start.real);
    if (!stat) throw new ToolError(`${path}: no such directory.`);
    if (!stat.isDirectory()) return { entries: [{ path: start.relative, type: 'file' }], truncated: false };
    const ignores = await layersAbove(this.readText, start.relative);
    const entries: ListEntry[] = [];
    // Breadth first, never following symlinked directories: terminates on link loops and
    // lists the shallow, most useful entries first when the cap cuts the listing.
    const queue: Array<{ dir: string; relative: string; ignores: readonly IgnoreLayer[] }> = [
      { dir: start.real, relative: start.relative, ignores },
    ];
    while (queue.length) {
      throwIfAborted(signal);
      const { dir, relative, ignores: active } = queue.shift()!;
      const dirents = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
      const own = dirents.some((d) => d.name === GITIGNORE_FILE && d.isFile());
      const scoped = await enterFolder(active, relative, own, this.readText);
      dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const dirent of dirents) {
        const childRelative = relative ? `${relative}/${dirent.name}` : dirent.name;
        const type = await this.entryType(nodePath.join(dir, dirent.name), dirent);
        if (!type || isHidden(scoped, childRelative, dirent.name, type === 'dir')) continue;
        if (entries.length >= this.maxListEntries) return { entries, truncated: true };
        entries.push({ path: childRelative, type });
        if (recursive && type === 'dir' && !dirent.isSymbolicLink())
          queue.push({ dir: nodePath.join(dir, dirent.name), relative: childRelative, ignores: scoped });
      }
    }
    return { entries, truncated: false };
  }

  async stat(path: string): Promise<StatResult | undefined> {
    const { real } = this.resolve(path);
    const stat = await statOrUndefined(real);
    if (!stat) return undefined;
    return { type: stat.isDirectory() ? 'dir' : 'file', size: stat.size, mtimeMs: stat.mtimeMs };
  }

  private resolve(input: string): Confined {
    const relative = normaliseRelative(input, this.root);
    for (const segment of relative.split('/')) {
      if (segment.length > MAX_SEGMENT_CHARS)
        throw new ToolError(`A path segment is longer than ${MAX_SEGMENT_CHARS} characters.`);
    }
    const confined = confineToRoot(this.root, relative, input);
    this.forbidden(confined.relative);
    return confined;
  }

  private async entryType(full: string, dirent: fs.Dirent): Promise<'file' | 'dir' | undefined> {
    if (dirent.isDirectory()) return 'dir';
    if (dirent.isFile()) return 'file';
    if (!dirent.isSymbolicLink()) return undefined;
    // A link is listed only when it stays inside the workspace; it is never descended.
    const real = await fsp.realpath(full).catch(() => undefined);
    if (!real) return undefined;
    const relative = nodePath.relative(this.root, real);
    if (isOutside(relative)) return undefined;
    const stat = await statOrUndefined(real);
    return stat ? (stat.isDirectory() ? 'dir' : 'file') : undefined;
  }
}

function detectCaseInsensitive(root: string): boolean {
  const flipped = root.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  if (flipped === root) return process.platform === 'win32' || process.platform === 'darwin';
  try {
    const a = fs.statSync(root);
    const b = fs.statSync(flipped);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

async function statOrUndefined(path: string): Promise<fs.Stats | undefined> {
  try {
    return await fsp.stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw new ToolError(`Cannot read ${path}: ${errorMessage(error)}`);
  }
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await fsp.open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function decode(bytes: Buffer, truncated: boolean): { text: string; encoding: Encoding } {
  const bom = byteOrderMark(bytes);
  if (bom === 'utf8bom') return { text: bytes.subarray(3).toString('utf8'), encoding: bom };
  if (bom === 'utf16le') return { text: bytes.subarray(2).toString('utf16le'), encoding: bom };
  if (bom === 'utf16be') return { text: swap16(bytes.subarray(2)).toString('utf16le'), encoding: bom };
  try {
    // A cut read may end inside a multi-byte character: only complete files must be valid,
    // and streaming mode leaves a trailing partial character out instead of showing U+FFFD.
    return {
      text: new TextDecoder('utf-8', { fatal: !truncated }).decode(bytes, { stream: truncated }),
      encoding: 'utf8',
    };
  } catch {
    return { text: bytes.toString('latin1'), encoding: 'latin1' };
  }
}

function encode(text: string, encoding: Encoding, relative: string): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), swap16(Buffer.from(text, 'utf16le'))]);
    case 'latin1':
      // The file is in a legacy single-byte (or unknown) encoding and is kept byte for
      // byte; a character that encoding cannot hold would silently become "?".
      if (/[^\u0000-\u00ff]/.test(text))
        throw new ToolError(
          `${relative} is not UTF-8; the new content has characters its encoding cannot hold, so nothing was written.`,
        );
      return Buffer.from(text, 'latin1');
  }
}

function swap16(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  out.swap16();
  return out;
}

/**
 * A file written only with CRLF stays CRLF even when the model wrote LF; files with LF or
 * mixed endings get the content as written, so no byte outside an edit changes.
 */
function keepLineEndings(content: string, previous: string): string {
  const crlfOnly = previous.includes('\r\n') && !/(^|[^\r])\n/.test(previous);
  return crlfOnly ? content.replace(/\r?\n/g, '\r\n') : content;
}

/** What a failed write means for the user, for the errors they can act on. */
function writeFailureHint(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return ': the disk is full (free some space and retry)';
    case 'EACCES':
    case 'EPERM':
      return ': permission denied';
    case 'EROFS':
      return ': the file system is read-only';
    default:
      return '';
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ModelError('cancelled', 'Cancelled.');
}

function readIfExists(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
