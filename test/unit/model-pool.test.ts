// The pool's reasoning step by step, on a clock the test moves: when a probe proves more
// slots, when it proves the limit, when it proves nothing, when a found limit is asked
// again, and how failing endpoints are set aside and come back. The end-to-end behaviour
// over HTTP is in capacity.test.ts.
import assert from 'node:assert/strict';
import { ModelPool, type EndpointSpec, type SlotLease } from '../../src/core/model/capacity';
import { ModelError } from '../../src/core/model/chat';
import { ScriptedChatModel } from '../support/scripted-chat-model';

let now = 0;
const clock = () => now;

function pool(limits: Array<EndpointSpec['limit']>, timing = {}) {
  return new ModelPool(
    limits.map((limit, i) => ({ url: `http://10.0.0.${i + 1}:11434`, model: new ScriptedChatModel([]), limit })),
    { now: clock, reprobeMs: 1000, reprobeMaxMs: 4000, setAsideMs: 500, ...timing },
  );
}

const at = (ms: number) => (now = ms);

describe('model pool: finding how many requests an endpoint takes', () => {
  beforeEach(() => at(0));

  it('starts at one slot plus one probe', () => {
    const p = pool(['auto']);
    assert.equal(p.capacity(), 2);
    assert.equal(p.status()[0].source, 'learning');
  });

  it('a probe that streams beside the others raises the known limit', async () => {
    const p = pool(['auto']);
    const a = await p.acquire();
    a.token();
    const b = await p.acquire(); // the probe
    at(30);
    b.token();
    assert.equal(p.status()[0].slots, 2);
    assert.equal(p.capacity(), 3);
  });

  it('a probe that starts only after another finished, and late, finds the limit', async () => {
    const p = pool(['auto']);
    const a = await p.acquire();
    at(10);
    a.token(); // 10 ms to a first token with a slot free
    const b = await p.acquire(); // the probe, queued by the server
    at(400);
    a.release();
    at(410);
    b.token(); // waited 400 ms: far more than 2 × 10 ms
    const [status] = p.status();
    assert.equal(status.slots, 1);
    assert.equal(status.source, 'learned');
    assert.equal(p.capacity(), 1, 'no probe for now');
    at(410 + 1000);
    assert.equal(p.capacity(), 2, 'asked again after the pause');
  });

  it('a probe that was neither clearly beside nor clearly behind proves nothing', async () => {
    const p = pool(['auto']);
    const a = await p.acquire();
    at(100);
    a.token(); // 100 ms with a slot free
    const b = await p.acquire();
    at(150);
    a.release(); // a finished while b was starting...
    at(160);
    b.token(); // ...but b took only 60 ms: it did not wait for a
    assert.equal(p.status()[0].source, 'learning');
    assert.equal(p.capacity(), 2);
  });

  it('pauses between probes of a found limit grow, and shrink again when more slots appear', async () => {
    const p = pool(['auto']);
    const find = async (start: number) => {
      at(start);
      const a = await p.acquire();
      at(start + 10);
      a.token();
      const b = await p.acquire();
      at(start + 500);
      a.release();
      b.token();
      b.release();
    };
    await find(0);
    assert.equal(p.capacity(), 1);
    await find(1500); // probe allowed from 1500; limit found again: next pause 2000 ms
    at(1500 + 500 + 1999);
    assert.equal(p.capacity(), 1);
    at(1500 + 500 + 2000);
    assert.equal(p.capacity(), 2);
  });

  it('never more requests in flight than allowed; waiters get slots in order as they free', async () => {
    const p = pool([2]);
    const a = await p.acquire();
    const b = await p.acquire();
    const order: string[] = [];
    const c = p.acquire().then((l) => (order.push('c'), l));
    const d = p.acquire().then((l) => (order.push('d'), l));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(p.inFlight(), 2);
    a.release();
    const leased: SlotLease = await c;
    assert.equal(p.inFlight(), 2);
    b.release();
    await d;
    assert.deepEqual(order, ['c', 'd']);
    leased.release();
    assert.equal(p.status()[0].source, 'configured');
  });

  it('a waiter whose signal aborts leaves the queue without taking a slot', async () => {
    const p = pool([1]);
    const a = await p.acquire();
    const controller = new AbortController();
    const waiting = p.acquire({ signal: controller.signal });
    controller.abort();
    await assert.rejects(waiting, (e: ModelError) => e.kind === 'cancelled');
    a.release();
    assert.equal(p.inFlight(), 0);
  });
});

describe('model pool: several endpoints', () => {
  beforeEach(() => at(0));

  it('sends the next request where most confirmed slots are free, and keeps a task where it was', async () => {
    const p = pool([1, 3]);
    const first = await p.acquire({ affinity: 't1' });
    assert.equal(first.url, 'http://10.0.0.2:11434');
    first.release();
    const again = await p.acquire({ affinity: 't1' });
    assert.equal(again.url, 'http://10.0.0.2:11434', 'the same endpoint, where its prompt is cached');
  });

  it('sets aside an endpoint that refuses connections, says another can take the retry, and tries it later', async () => {
    const p = pool([1, 1]);
    const lease = await p.acquire();
    const { retryElsewhere } = lease.release(new ModelError('connection', 'Could not connect: ECONNREFUSED'));
    assert.equal(retryElsewhere, true);
    const down = p.status().find((s) => s.url === lease.url)!;
    assert.match(down.down?.reason ?? '', /ECONNREFUSED/);
    assert.equal(p.capacity(), 1, 'only the other counts');
    const next = await p.acquire();
    assert.notEqual(next.url, lease.url);
    next.release();
    at(600);
    assert.equal(p.capacity(), 2, 'back after the pause');
  });

  it("a request error that is not the endpoint's (a bad request) sets nothing aside", async () => {
    const p = pool([1, 1]);
    const lease = await p.acquire();
    assert.equal(lease.release(new ModelError('bad_request', 'HTTP 400')).retryElsewhere, false);
    assert.ok(p.status().every((s) => !s.down));
  });

  it('with every endpoint set aside, one request goes to the one back soonest: a real error, not a hang', async () => {
    const p = pool([1, 1]);
    const one = await p.acquire();
    const two = await p.acquire();
    at(10);
    one.release(new ModelError('connection', 'refused'));
    two.release(new ModelError('server', 'HTTP 503'));
    const next = await p.acquire();
    assert.equal(next.url, one.url, 'the one set aside first comes back first');
  });

  it('a single endpoint is never set aside: its own retries and errors apply', async () => {
    const p = pool([1]);
    const lease = await p.acquire();
    assert.equal(lease.release(new ModelError('connection', 'refused')).retryElsewhere, false);
    assert.equal(p.status()[0].down, undefined);
  });
});
