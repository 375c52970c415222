// Fails when the .vsix ships anything .vscodeignore should have kept out.
import yauzl from 'yauzl';

const vsix = process.argv[2] ?? 'rozet.vsix';
const listing = await new Promise((resolve, reject) => {
  yauzl.open(vsix, { lazyEntries: false }, (err, zip) => {
    if (err) return reject(err);
    const names = [];
    zip.on('entry', (e) => names.push(e.fileName));
    zip.on('end', () => resolve(names));
    zip.on('error', reject);
  });
});
const allowed = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/(extension|runtime|webview|cli)\.js$/,
  /^extension\/media\/[^/]+\.(svg|png)$/,
];
const unexpected = listing.filter((f) => !allowed.some((re) => re.test(f)));
if (unexpected.length) {
  console.error(`The .vsix ships files it should not:\n  ${unexpected.join('\n  ')}`);
  process.exit(1);
}
for (const required of ['extension/dist/extension.js', 'extension/dist/runtime.js', 'extension/dist/webview.js', 'extension/dist/cli.js', 'extension/package.json']) {
  if (!listing.includes(required)) {
    console.error(`The .vsix is missing ${required}.`);
    process.exit(1);
  }
}
console.log(`${vsix}: ${listing.length} files, all allowed by .vscodeignore`);
