// A workspace that exercises every rule of search_files / find_files: ignored folders
// (.gitignore at two levels, .rozetignore, node_modules, .git), hidden files, a binary
// file, a huge file, a very long line, non-UTF-8 and UTF-16 files, CRLF, a BOM, links
// (inside and out), and names whose order differs between "sort the whole path" and
// "sort each folder" (ripgrep's order, which both engines follow).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_SEARCH_FILE_BYTES } from '../../src/core/search/code-search';

export const NEEDLE = 'computeRetryDelay';

export function writeSearchFixture(root: string, outside: string): void {
  const put = (file: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  };
  // A .gitignore negation must not bring back what .rozetignore hides (ripgrep would let it).
  put('.gitignore', 'dist/\n*.log\n!keep.log\n!secrets/key.txt\n!prod.key\n');
  put('.rozetignore', 'secrets/\n*.key\n');
  put(
    'src/retry.ts',
    `// Retry policy\nexport function ${NEEDLE}(attempt: number): number {\n  return 500 * 2 ** attempt;\n}\n`,
  );
  put(
    'src/client.ts',
    `import { ${NEEDLE} } from './retry';\n\nconst first = ${NEEDLE}(1);\nconst second = ${NEEDLE}(2);\nexport { first, second };\n`,
  );
  put('src/deep/a/b/c.ts', `// deep: ${NEEDLE.toLowerCase()} in lower case\n`);
  put('a-b.txt', `${NEEDLE} in a-b\n`);
  put('a/z.txt', `${NEEDLE} in a/z\n`);
  put('dist/bundle.js', `${NEEDLE}()\n`);
  put('debug.log', `${NEEDLE} logged\n`);
  put('keep.log', `${NEEDLE} kept\n`);
  put('node_modules/pkg/index.js', `${NEEDLE}\n`);
  put('packages/app/node_modules/dep/index.js', `${NEEDLE}\n`);
  put('packages/app/main.ts', `${NEEDLE}\n`);
  put('.git/config', `${NEEDLE}\n`);
  put('sub/.gitignore', 'generated.ts\n');
  put('sub/generated.ts', `${NEEDLE}\n`);
  put('sub/real.ts', `${NEEDLE}\n`);
  put('secrets/key.txt', `${NEEDLE} secret\n`);
  put('config/prod.key', `${NEEDLE} private key\n`);
  put('.env', `TOKEN=${NEEDLE}\n`);
  put('.hidden/notes.md', `${NEEDLE} hidden\n`);
  put('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(`${NEEDLE}\n`)]));
  put('huge.txt', Buffer.concat([Buffer.alloc(MAX_SEARCH_FILE_BYTES + 1024, 'x\n'), Buffer.from(`${NEEDLE}\n`)]));
  put('minified.js', `${'var a=1;'.repeat(20_000)}${NEEDLE}();${'var b=2;'.repeat(20_000)}\n`);
  put('latin1.txt', Buffer.from(`caf\xe9 ${NEEDLE}\nna\xefve\n`, 'latin1'));
  put('mixed.txt', Buffer.concat([Buffer.from('ok line\n'), Buffer.from(`bad \xff ${NEEDLE}\n`, 'latin1')]));
  put('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`first\n${NEEDLE} in utf16\n`, 'utf16le')]));
  put('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${NEEDLE} after a BOM\n`)]));
  put('crlf.txt', `one\r\n${NEEDLE} two\r\nthree\r\n`);
  put('ünï.txt', `${NEEDLE} ünïcode\n`);
  fs.writeFileSync(path.join(outside, 'outside.txt'), `${NEEDLE} outside\n`);
  fs.symlinkSync(path.join(root, 'src', 'retry.ts'), path.join(root, 'link.ts'));
  fs.symlinkSync(path.join(root, 'src'), path.join(root, 'linkdir'));
  fs.symlinkSync(path.join(outside, 'outside.txt'), path.join(root, 'out.txt'));
}
