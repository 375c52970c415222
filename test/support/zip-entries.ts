// Reads every entry of a zip (a .vsix) with yauzl, which ships no type declarations:
// the few calls used are typed here.
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

interface Entry {
  fileName: string;
}
interface ZipFile {
  on(event: 'entry', listener: (entry: Entry) => void): void;
  on(event: 'end', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  readEntry(): void;
  openReadStream(entry: Entry, callback: (error: Error | null, stream: Readable) => void): void;
}
interface Yauzl {
  open(path: string, options: { lazyEntries: boolean }, callback: (error: Error | null, zip: ZipFile) => void): void;
}

const yauzl = createRequire(__filename)('yauzl') as Yauzl;

export function readZipEntries(path: string): Promise<Array<{ name: string; bytes: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const out: Array<{ name: string; bytes: Buffer }> = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            out.push({ name: entry.fileName, bytes: Buffer.concat(parts) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
