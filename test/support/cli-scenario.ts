// The scripted server's answers for CLI tests: a planner rule per request wording and a
// worker script per task title.
import type { Scenario } from './model-server';

export const KEY = 'sk-cli-test-key-0123456789abcdefghijkl';

export const HELLO = { id: 't1', title: 'Write hello.py', description: 'Print hi', dependsOn: [], files: ['hello.py'] };
export const README = {
  id: 't2',
  title: 'Write the readme',
  description: 'Describe hello.py',
  dependsOn: ['t1'],
  files: ['README.md'],
};

export function writes(file: string, content: string, answer = `Wrote ${file}.`) {
  return [
    { kind: 'tools' as const, calls: [{ name: 'write_file', arguments: { path: file, content } }] },
    { kind: 'text' as const, text: answer },
  ];
}

export const SCENARIO: Scenario = {
  models: [
    { id: 'planner', tools: true },
    { id: 'worker', tools: true },
  ],
  agent: [
    // The readme task's prompt quotes its dependency "Write hello.py", so it must match first.
    { match: 'Write the readme', hasTools: true, steps: writes('README.md', '# hello\n') },
    { match: 'Write hello.py', hasTools: true, steps: writes('hello.py', "print('hi')\n") },
    {
      match: 'Break things',
      hasTools: true,
      steps: [{ kind: 'error', status: 400, body: { error: { message: 'scripted refusal' } } }],
    },
    {
      match: 'Run a command',
      hasTools: true,
      steps: [
        { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: 'touch ran.txt' } }] },
        { kind: 'text', text: 'Tried it.' },
      ],
    },
    { match: 'Leak the key', hasTools: true, steps: [{ kind: 'text', text: `The key is ${KEY}` }] },
    { match: 'Be slow', hasTools: true, steps: [{ kind: 'text', text: 'late', firstTokenDelayMs: 10_000 }] },
    { match: 'two files', hasTools: false, plan: { tasks: [HELLO, README] } },
    {
      match: 'break',
      hasTools: false,
      plan: {
        tasks: [
          { ...HELLO, id: 't1', title: 'Break things', files: [] },
          { ...README, dependsOn: ['t1'] },
        ],
      },
    },
    { match: 'command', hasTools: false, plan: { tasks: [{ ...HELLO, title: 'Run a command', files: [] }] } },
    { match: 'leak', hasTools: false, plan: { tasks: [{ ...HELLO, title: 'Leak the key', files: [] }] } },
    { match: 'slow', hasTools: false, plan: { tasks: [{ ...HELLO, title: 'Be slow', files: ['slow.txt'] }] } },
    { hasTools: false, plan: { tasks: [HELLO] } },
  ],
};
