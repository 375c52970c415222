// The cost of the command sandbox: the same trivial command (`true`) run through the shell
// both hosts use, without and with bubblewrap, alternately, in a workspace of 2,000 files
// with a .git and a .vscode folder (so the protected-path scan and the read-only mounts
// have real work). The extra time per sandboxed command is the difference of the medians;
// the scan is timed on its own too, since both paths pay it. Target: < 50 ms.
// Wall time on a shared, busy machine is mostly waiting for a CPU, so the CPU time the
// sandbox itself costs is measured as well: the exact bwrap command line, run in a shell
// loop whose `times` reports what its children used.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCommandShell } from '../src/core/sandbox/command-shell';
import { detectSandbox } from '../src/core/sandbox/detect-sandbox';
import { createSandbox, sandboxedSpawn } from '../src/core/sandbox/launch';
import { scanProtected } from '../src/core/sandbox/protected-scan';
import { percentile, round } from './support';

const ROUNDS = 40;
const RUN = { timeoutMs: 30_000, maxOutputBytes: 4096 };

function workspace(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bench-sbx-')));
  for (let d = 0; d < 100; d++) {
    const dir = path.join(root, 'src', `m${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++) fs.writeFileSync(path.join(dir, `f${f}.ts`), 'export {};\n');
  }
  fs.mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
  fs.writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
  fs.mkdirSync(path.join(root, '.vscode'));
  fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{}');
  return root;
}

/** CPU milliseconds (user + system) the children of a shell loop used per run of `argv`. */
function cpuMsPerRun(argv: readonly string[], runs: number): number {
  const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const out = execFileSync(
    '/bin/sh',
    ['-c', `i=0; while [ $i -lt ${runs} ]; do ${quoted} >/dev/null; i=$((i+1)); done; times`],
    {
      encoding: 'utf8',
    },
  );
  // `times` prints the shell's own user/system line, then its children's: "0m0.160000s 0m0.270000s".
  const children = out.trim().split('\n').pop() ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
    0,
  );
  return (seconds * 1000) / runs;
}

export async function benchSandbox(): Promise<Record<string, unknown>> {
  if (process.platform !== 'linux') return { skipped: 'bubblewrap is Linux only' };
  const root = workspace();
  try {
    const plain = await createCommandShell(root, { sandbox: 'off', network: 'off' });
    const boxed = await createCommandShell(root, { sandbox: 'auto', network: 'off' });
    const online = await createCommandShell(root, { sandbox: 'auto', network: 'on' });
    if (!boxed.sandboxed) throw new Error('no working bubblewrap here: install it (apt-get install bubblewrap)');
    const times: Record<'plain' | 'sandboxed' | 'sandboxedNetworkOn' | 'scan', number[]> = {
      plain: [],
      sandboxed: [],
      sandboxedNetworkOn: [],
      scan: [],
    };
    const time = async (what: keyof typeof times, work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      times[what].push(performance.now() - started);
    };
    // Warm up (module loading, first-command note), then alternate so load drifts hit both alike.
    await Promise.all([plain.run('true', RUN), boxed.run('true', RUN), online.run('true', RUN)]);
    for (let i = 0; i < ROUNDS; i++) {
      await time('plain', () => plain.run('true', RUN));
      await time('sandboxed', () => boxed.run('true', RUN));
      await time('sandboxedNetworkOn', () => online.run('true', RUN));
      await time('scan', () => scanProtected(root));
    }
    const median = (what: keyof typeof times) => percentile(times[what], 0.5);
    const available = await detectSandbox();
    const sandbox = createSandbox('bubblewrap', available.program ?? 'bwrap', false);
    const boxedArgv = sandboxedSpawn(sandbox, { root, cwd: root, readOnly: (await scanProtected(root)).paths }, [
      '/bin/sh',
      '-c',
      'true',
    ]);
    const cpuPlain = cpuMsPerRun(['/bin/sh', '-c', 'true'], ROUNDS);
    const cpuBoxed = cpuMsPerRun([boxedArgv.file, ...boxedArgv.args], ROUNDS);
    return {
      rounds: ROUNDS,
      workspaceFiles: 2000,
      medianMs: {
        plain: round(median('plain'), 1),
        sandboxed: round(median('sandboxed'), 1),
        sandboxedNetworkOn: round(median('sandboxedNetworkOn'), 1),
        protectedPathScan: round(median('scan'), 1),
      },
      extraPerSandboxedCommandMs: round(median('sandboxed') - median('plain'), 1),
      extraWithNetworkOnMs: round(median('sandboxedNetworkOn') - median('plain'), 1),
      p90SandboxedMs: round(percentile(times.sandboxed, 0.9), 1),
      cpuMsPerCommand: { plain: round(cpuPlain, 1), sandboxed: round(cpuBoxed, 1) },
      extraCpuPerSandboxedCommandMs: round(cpuBoxed - cpuPlain, 1),
      targetMs: 50,
      loadAverage: os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' '),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
