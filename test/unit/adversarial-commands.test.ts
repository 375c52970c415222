// Allowlisted prefixes never vouch for more than one simple command
// (docs/ARCHITECTURE.md, "Security invariants"). Every case runs through runTool with the
// real NodeShell, so "not auto-approved" is proven by the approver being asked and by the
// marker file the smuggled command would have created not existing — not only by the
// policy's verdict.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { runTool, type ToolContext } from '../../src/core/tools/tools';
import { RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { goneWithin } from '../support/processes';
import { Tally } from '../support/tally';

const ALLOWLIST = [
  'ls',
  'git status',
  'git log',
  'git diff',
  'npm test',
  'find',
  'cat',
  'echo',
  'grep',
  'rg',
  'tar',
  'sed',
  'node --version',
];
const PREFIXES = ['ls', 'git status', 'npm test', 'echo hi', 'cat README.md', 'find .', 'grep -r x .'];

/** What a hostile tail appends to an allowed prefix; each would create PWNED if it ran. */
const TAILS = [
  '; touch PWNED',
  ';touch PWNED',
  ' && touch PWNED',
  ' || touch PWNED',
  ' | touch PWNED',
  ' |& touch PWNED',
  ' & touch PWNED',
  '\ntouch PWNED',
  '\rtouch PWNED',
  '\r\ntouch PWNED',
  '\u2028touch PWNED',
  '\u2029touch PWNED',
  '\u0085touch PWNED',
  ' > PWNED',
  ' >> PWNED',
  ' 2> PWNED',
  ' &> PWNED',
  ' >| PWNED',
  ' 1>PWNED',
  ' < /etc/passwd > PWNED',
  ' $(touch PWNED)',
  ' "$(touch PWNED)"',
  ' `touch PWNED`',
  ' <(touch PWNED)',
  ' >(touch PWNED)',
  ' ${IFS}$(touch${IFS}PWNED)',
  ' $((1))$(touch PWNED)',
  " 'x';touch PWNED",
  ' \\; touch PWNED',
  ' {a,b}; touch PWNED',
  ' #\ntouch PWNED',
  ' \u0000; touch PWNED',
  ' \u001b; touch PWNED',
];

/** Options that make an allowed binary run or write something else. */
const INJECTIONS = [
  'git -c core.pager=touch\tPWNED log',
  'git log -c core.pager=sh',
  'git -c alias.status=!touch status',
  'git status --output=PWNED',
  'git log --output=PWNED',
  'git diff --ext-diff',
  'git diff --textconv',
  'git log --exec-path=.',
  'git status --git-dir=/tmp',
  'git -C /etc status',
  'git status --upload-pack=touch',
  'find . -exec touch PWNED {} +',
  'find . -execdir touch PWNED {} +',
  'find . -ok touch PWNED {} +',
  'find . -delete',
  'find . -fprint PWNED',
  'find . -fprintf PWNED x',
  'find / -name id_rsa',
  'find .. -name secret',
  'rg --pre=touch x',
  'rg --pre touch x',
  'tar --to-command=touch -xf x.tar',
  'tar -I touch -cf x.tar .',
  'tar --checkpoint-action=exec=touch -cf x.tar .',
  'tar --use-compress-program=touch -cf x.tar .',
  'sed -i s/a/b/ README.md',
  'sed --in-place s/a/b/ README.md',
  'cat /etc/shadow',
  'cat ../../etc/passwd',
  'cat ~/.ssh/id_rsa',
  'ls /',
  'echo hi --x=/etc/passwd',
  'npm test --script-shell=touch',
  'node --version -e x',
];

describe('adversarial: commands', function () {
  this.timeout(30_000);
  const tally = new Tally('commands');
  tally.report();
  let root: string;
  let approver: RecordingApprover;
  let ctx: ToolContext;
  beforeEach(() => {
    root = tempDir('rozet-cmd-');
    fs.writeFileSync(path.join(root, 'README.md'), 'a\n');
    approver = new RecordingApprover(false);
    ctx = toolContext(root, {
      approver,
      policy: { bashApproval: 'allowlist', allowlist: ALLOWLIST, writeApproval: 'auto' },
      bashTimeoutMs: 2000,
    });
  });
  afterEach(() => removeDir(root));

  async function notAutoRun(command: string, context = ctx): Promise<void> {
    tally.add('tried');
    const asked = approver.asked.length;
    const result = await runTool('execute_bash', { command }, context);
    assert.equal(result.ok, false, `${JSON.stringify(command)} ran: ${result.output}`);
    assert.equal(approver.asked.length, asked + 1, `${JSON.stringify(command)} must ask the user`);
    assert.equal(fs.existsSync(path.join(root, 'PWNED')), false, `${JSON.stringify(command)} created PWNED`);
    tally.add('blocked');
  }

  it('asks for every chaining, redirection and substitution after every allowed prefix, and runs none of them', async () => {
    for (const prefix of PREFIXES) for (const tail of TAILS) await notAutoRun(`${prefix}${tail}`);
  });

  it('asks for argument injection through allowed binaries', async () => {
    for (const command of INJECTIONS) await notAutoRun(command);
  });

  it('an allowed prefix itself still runs unasked (the suite is not vacuous)', async () => {
    const result = await runTool('execute_bash', { command: 'cat README.md' }, ctx);
    assert.equal(result.ok, true, result.output);
    assert.equal(approver.asked.length, 0);
    assert.match(result.output, /exit code 0\]\na/);
  });

  it('a malformed allowlist fails closed: every command asks', async () => {
    const malformed: unknown[] = [
      'ls',
      [''],
      ['  '],
      [42],
      [null],
      ['ls', 7],
      ['ls; touch PWNED'],
      ['ls > x'],
      ['$(id)'],
      ['ls\ntouch PWNED'],
      { 0: 'ls' },
      null,
      'ls,cat',
      [['ls']],
    ];
    for (const allowlist of malformed) {
      const context = { ...ctx, policy: { ...ctx.policy, allowlist } };
      await notAutoRun('ls', context);
    }
  });

  it('an "always allow" answer for a compound command does not widen the session allowlist', async () => {
    const yes = { approve: async () => ({ approved: true, alwaysAllowPrefix: 'ls; touch PWNED' }) };
    const context = { ...ctx, approver: yes, sessionAllowlist: [] as string[] };
    await runTool('execute_bash', { command: 'ls; echo once' }, context);
    assert.deepEqual(context.sessionAllowlist, [], 'a compound prefix is never remembered');
    await notAutoRun('ls; touch PWNED', { ...ctx, sessionAllowlist: context.sessionAllowlist });
  });

  it('kills a command that never ends at its timeout with its whole process tree', async () => {
    const shell = new NodeShell(root);
    tally.add('tried');
    const result = await shell.run('sleep 30 & echo $! > bg.pid; sleep 30', { timeoutMs: 300, maxOutputBytes: 4096 });
    assert.equal(result.timedOut, true);
    assert.ok(result.durationMs < 2000, `killed at its timeout, took ${result.durationMs} ms`);
    const pid = Number(fs.readFileSync(path.join(root, 'bg.pid'), 'utf8'));
    assert.ok(pid > 0, 'the background child wrote its pid');
    assert.ok(await goneWithin(pid, 1000), `background child ${pid} outlived the timeout`);
    tally.add('blocked');
  });

  it('a command printing ~1 GB is cut at the cap (head and tail kept) with bounded memory', async function () {
    const shell = new NodeShell(root);
    tally.add('tried');
    const rss = process.memoryUsage().rss;
    const gib = 1024 ** 3;
    // A 1 GiB stream of "y\n", as `yes` prints, ending with a marker; a 20 s timeout is a backstop.
    const result = await shell.run(`yes | head -c ${gib}; echo END-MARKER`, {
      timeoutMs: 20_000,
      maxOutputBytes: 64 * 1024,
    });
    assert.equal(result.timedOut, false, 'finished before the backstop');
    assert.equal(result.truncated, true);
    assert.ok(result.output.length < 70 * 1024, `output kept under the cap: ${result.output.length}`);
    assert.match(result.output, /^y\ny\n/);
    assert.match(result.output, /END-MARKER\n$/);
    const omitted = Number(/\[… (\d+) bytes of output omitted …\]/.exec(result.output)?.[1]);
    assert.ok(omitted > gib - 70 * 1024, `the omitted count is reported: ${omitted}`);
    const grew = (process.memoryUsage().rss - rss) / 2 ** 20;
    assert.ok(grew < 200, `memory stayed bounded: rss grew ${grew.toFixed(0)} MiB`);
    console.log(`      1 GiB of output in ${Math.round(result.durationMs)} ms, rss +${grew.toFixed(0)} MiB`);
    tally.add('blocked');
  });

  it('an endless flood (`yes`) is killed at its timeout, output cut, process gone', async () => {
    const shell = new NodeShell(root);
    tally.add('tried');
    const result = await shell.run('echo $$ > sh.pid; exec yes', { timeoutMs: 400, maxOutputBytes: 8 * 1024 });
    assert.equal(result.timedOut, true);
    assert.equal(result.truncated, true);
    assert.ok(result.output.length < 9 * 1024);
    const pid = Number(fs.readFileSync(path.join(root, 'sh.pid'), 'utf8'));
    assert.ok(await goneWithin(pid, 1000), `yes (${pid}) still running`);
    tally.add('blocked');
  });
});
