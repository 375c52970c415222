import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { cleanModelText, extractJson, extractJsonValues } from '../../src/core/text/json-extract';

const FIXTURES = join(__dirname, '..', 'fixtures', 'provider-transcripts');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const PlanLike = z.object({ tasks: z.array(z.object({ id: z.string(), title: z.string() })).min(1) });
const ToolLike = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) });

const PLAN = { tasks: [{ id: 't1', title: 'Write hello.py' }] };
const PLAN_JSON = JSON.stringify(PLAN);
const ESC = '\u001b';

interface Case {
  name: string;
  text: string;
  schema?: z.ZodType<unknown>;
  expected: unknown;
  repaired: boolean;
}

// Answers as models and terminals really produce them.
const cases: Case[] = [
  { name: 'plain JSON', text: PLAN_JSON, expected: PLAN, repaired: false },
  {
    name: 'fenced json block with commentary around',
    text: `Here is the plan:\n\n\`\`\`json\n${PLAN_JSON}\n\`\`\`\n\nLet me know if you want changes.`,
    expected: PLAN,
    repaired: false,
  },
  { name: 'fence without a language', text: `Sure.\n\`\`\`\n${PLAN_JSON}\n\`\`\``, expected: PLAN, repaired: false },
  {
    name: 'fence with JSON5 tag and indented body',
    text: `  \`\`\`JSON\n  {"tasks": [{"id": "t1", "title": "Write hello.py"}]}\n  \`\`\``,
    expected: PLAN,
    repaired: false,
  },
  { name: 'tilde fence', text: `~~~json\n${PLAN_JSON}\n~~~`, expected: PLAN, repaired: false },
  {
    name: 'deepseek-r1 style think block before the answer',
    text: `<think>\nThe user wants a plan. Maybe {"tasks": []}? No, one task.\n</think>\n\n${PLAN_JSON}`,
    expected: PLAN,
    repaired: false,
  },
  {
    name: 'qwen3 style only a closing think tag (opening tag in the template)',
    text: `Okay, let me think about {"draft": true}...\n</think>\n\n${PLAN_JSON}`,
    expected: PLAN,
    repaired: false,
  },
  {
    name: 'think block with a draft that also validates: the answer wins',
    text: `<think>{"tasks":[{"id":"x","title":"draft"}]}</think>${PLAN_JSON}`,
    expected: PLAN,
    repaired: false,
  },
  {
    name: 'JSON inside a sentence',
    text: `The plan is ${PLAN_JSON} and it has one task.`,
    expected: PLAN,
    repaired: false,
  },
  {
    name: 'trailing commas',
    text: '{"tasks": [{"id": "t1", "title": "Write hello.py",},],}',
    expected: PLAN,
    repaired: true,
  },
  {
    name: 'line and block comments',
    text: '{\n  // the only task\n  "tasks": [ /* first */ {"id": "t1", "title": "Write hello.py"}]\n}',
    expected: PLAN,
    repaired: true,
  },
  {
    name: 'single quotes',
    text: "{'tasks': [{'id': 't1', 'title': 'Write hello.py'}]}",
    expected: PLAN,
    repaired: true,
  },
  { name: 'unquoted keys', text: '{tasks: [{id: "t1", title: "Write hello.py"}]}', expected: PLAN, repaired: true },
  {
    name: 'Python literals',
    text: "{'tasks': [{'id': 't1', 'title': 'Write hello.py', 'done': False, 'model': None}]}",
    expected: PLAN,
    repaired: true,
  },
  {
    name: 'truncated stream: open string and brackets closed',
    text: '```json\n{"tasks": [{"id": "t1", "title": "Write hello.py"}, {"id": "t2", "title": "Wri',
    expected: { tasks: [PLAN.tasks[0], { id: 't2', title: 'Wri' }] },
    repaired: true,
  },
  {
    name: 'truncated bare stream after prose',
    text: 'Plan: {"tasks": [{"id": "t1", "title": "Write hello.py"',
    expected: PLAN,
    repaired: true,
  },
  {
    name: 'ANSI-coloured terminal capture',
    text: `${ESC}[1m${ESC}[32m{"tasks": [{"id": "t1", ${ESC}[0m"title": "Write hello.py"}]}${ESC}[0m\n`,
    expected: PLAN,
    repaired: false,
  },
  { name: 'BOM and CRLF', text: `\uFEFF\r\n${PLAN_JSON}\r\n`, expected: PLAN, repaired: false },
  {
    name: 'ollama run capture with spinner and prompt echo',
    text: `>>> plan it\n\u280b \u2819 \r${PLAN_JSON}\n>>> Send a message (/? for help)`,
    expected: PLAN,
    repaired: false,
  },
  { name: 'leaked chat-template tokens', text: `${PLAN_JSON}<|im_end|>`, expected: PLAN, repaired: false },
  {
    name: 'several candidates, only the second validates',
    text: 'Options: {"a": 1} or ```json\n{"tasks": []}\n``` — final: ' + PLAN_JSON,
    expected: PLAN,
    repaired: false,
  },
  {
    name: 'a tool call in a <tool_call> wrapper',
    text: '<tool_call>\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n</tool_call>',
    schema: ToolLike,
    expected: { name: 'read_file', arguments: { path: 'a.ts' } },
    repaired: false,
  },
  {
    name: 'mistral [TOOL_CALLS] prefix',
    text: '[TOOL_CALLS][{"name": "list_files", "arguments": {}}]',
    schema: z.array(ToolLike),
    expected: [{ name: 'list_files', arguments: {} }],
    repaired: false,
  },
  {
    name: 'braces in prose before the JSON',
    text: 'Use {curly braces} and [brackets] carefully. ' + PLAN_JSON,
    expected: PLAN,
    repaired: false,
  },
  {
    name: 'code fence containing a fence inside a JSON string',
    text: '{"tasks":[{"id":"t1","title":"Docs","description":"```bash\\nnpm test\\n```"}]}',
    expected: { tasks: [{ id: 't1', title: 'Docs' }] },
    repaired: false,
  },
  {
    name: 'smart quotes from a chat UI copy',
    text: '{\u201ctasks\u201d: [{\u201cid\u201d: \u201ct1\u201d, \u201ctitle\u201d: \u201cWrite hello.py\u201d}]}',
    expected: PLAN,
    repaired: true,
  },
  {
    name: 'apostrophe inside a comment does not break scanning',
    text: '{\n  // don\'t forget\n  "tasks": [{"id": "t1", "title": "Write hello.py"}]\n}',
    expected: PLAN,
    repaired: true,
  },
  {
    name: 'raw newline inside a string (terminal wrap)',
    text: '{"tasks": [{"id": "t1", "title": "Write\nhello.py"}]}',
    expected: { tasks: [{ id: 't1', title: 'Write\nhello.py' }] },
    repaired: true,
  },
  {
    name: 'qwen2.5-coder bare tool call (fixture)',
    text: fixture('messy-qwen-toolcall-1.txt'),
    schema: ToolLike,
    expected: { name: 'calculator', arguments: { expr: '17 * 23' } },
    repaired: false,
  },
  {
    name: 'hallucinated tool call (fixture)',
    text: fixture('messy-qwen-toolcall-2.txt'),
    schema: ToolLike,
    expected: { name: 'Skill', arguments: { name: 'none' } },
    repaired: false,
  },
  {
    name: 'llama-server <tool_call> with elided args and extra brace (fixture)',
    text: (JSON.parse(fixture('messy-qwen-toolcall-3.json')) as { content: string }).content,
    schema: z.object({ name: z.string() }),
    expected: { name: 'aiCreatePlan' },
    repaired: true,
  },
  {
    name: 'deepseek-r1 think block (fixture) followed by a plan',
    text: `${fixture('messy-deepseek-r1-think-1.txt')}\n${PLAN_JSON}`,
    expected: PLAN,
    repaired: false,
  },
];

describe('json-extract: extractJson on messy model answers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = extractJson(c.text, c.schema ?? PlanLike);
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.deepEqual(result.value, c.expected);
      assert.equal(result.repaired, c.repaired);
    });
  }
});

describe('json-extract: extractJsonValues', () => {
  it('returns fenced candidates before bare ones, and larger bare ones first', () => {
    const text = 'small {"a": 1} then big {"b": [1, 2, 3], "c": "long enough"} and\n```json\n{"f": true}\n```';
    assert.deepEqual(extractJsonValues(text), [{ f: true }, { b: [1, 2, 3], c: 'long enough' }, { a: 1 }]);
  });

  it('does not report the same JSON twice when a model repeats it in prose and a fence', () => {
    const text = `I will answer ${PLAN_JSON}:\n\`\`\`json\n${PLAN_JSON}\n\`\`\``;
    assert.deepEqual(extractJsonValues(text), [PLAN]);
  });

  it('ranks objects in other-language code blocks last', () => {
    const text = '```python\nconfig = {"debug": True}\n```\nAnswer: {"answer": 42}';
    assert.deepEqual(extractJsonValues(text), [{ answer: 42 }, { debug: true }]);
  });

  it('finds nothing in prose and ignores bracketed words', () => {
    assert.deepEqual(extractJsonValues('I could not do that [sorry]. Use {braces} wisely.'), []);
  });

  it('finds nothing in a think-only answer (deepseek empty think fixture)', () => {
    assert.deepEqual(extractJsonValues(fixture('messy-deepseek-r1-empty-think-2.txt')), []);
  });

  it('reads a tool call nested in a Python-repr message (parameters key fixture)', () => {
    const [message] = extractJsonValues(fixture('messy-toolcall-parameters-key-in-content.txt')) as Array<{
      content: string;
    }>;
    assert.ok(message);
    assert.deepEqual(extractJsonValues(message.content), [{ name: 'get_current_location', parameters: {} }]);
  });
});

describe('json-extract: cleanModelText', () => {
  it('removes think blocks, REPL prompts and keeps the answer (deepseek fixture)', () => {
    const cleaned = cleanModelText(fixture('messy-deepseek-r1-empty-think-2.txt'));
    assert.ok(cleaned.startsWith("Hello! I'm an AI assistant developed by DeepSeek."), cleaned);
    assert.ok(!cleaned.includes('<think>') && !cleaned.includes('>>>'));
  });

  it('drops an unclosed think block (stream cut while thinking)', () => {
    assert.equal(cleanModelText('Answer: yes.\n<think>but wait, maybe'), 'Answer: yes.');
  });

  it('strips ANSI colour, cursor and OSC sequences', () => {
    assert.equal(cleanModelText(`${ESC}[31mred${ESC}[0m ${ESC}]0;title\u0007${ESC}[2Kdone`), 'red done');
  });

  it('keeps only what a terminal shows after a carriage return', () => {
    assert.equal(cleanModelText('loading 10%\rloading 100%\rready'), 'ready');
  });

  it('strips thinking/reasoning variants case-insensitively', () => {
    assert.equal(cleanModelText('<Thinking>hmm</Thinking>A<reasoning>x</reasoning>B'), 'AB');
  });
});

describe('json-extract: errors', () => {
  it('says when the answer holds no JSON, quoting its start', () => {
    const result = extractJson('I cannot help with planning today.', PlanLike);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /no JSON object or array.*I cannot help/);
  });

  it('says when the answer is empty after cleaning', () => {
    const result = extractJson('<think>thinking only</think>', PlanLike);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /empty/);
  });

  it('describes the validation problem with a readable path', () => {
    const result = extractJson('{"tasks": [{"id": "t1"}]}', PlanLike);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /tasks\[0\]\.title: expected string, received undefined/);
  });

  it('reports the candidate closest to valid when none validates', () => {
    const result = extractJson('{"x": 1} and {"tasks": [{"id": "t1", "title": 5}]}', PlanLike);
    assert.equal(result.ok, false);
    const error = !result.ok ? result.error : '';
    assert.match(error, /None of the 2 JSON values/);
    assert.match(error, /tasks\[0\]\.title/);
  });
});
