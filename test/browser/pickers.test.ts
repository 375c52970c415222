// The models header's pickers, used as a person uses them: real clicks on the picker and
// its options, real keys (Playwright click/press/type; never a dispatched event). A pick
// must reach the host as `model.switch`; the host's answer must not take the picker away.
import assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import * as f from './fixtures';
import type { ModelsConfig, WebviewMessage } from '../../src/webview/protocol';

const switches = async (w: WebviewPage): Promise<WebviewMessage[]> =>
  (await w.posted()).filter((m) => m.type === 'model.switch');
const valueOf = (w: WebviewPage, role: string): Promise<string> =>
  w.page.locator(`#rz-model-${role}`).evaluate((el) => (el as HTMLElement & { value: string }).value);
const focusedId = (w: WebviewPage): Promise<string | undefined> => w.page.evaluate(() => document.activeElement?.id);
const option = (w: WebviewPage, role: string, name: string) =>
  w.page
    .locator(`#rz-model-${role} li.option`)
    .filter({ hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });

describe('model pickers (chromium, real clicks and keys)', function () {
  const current = pagePerTest({ width: 300 });
  let w: WebviewPage;
  beforeEach(() => {
    w = current();
  });

  it('have accessible names: "Planner model", "Worker model"; the message box "Message to Rozet"', async () => {
    await w.send(f.init());
    for (const name of ['Planner model', 'Worker model'])
      assert.equal(await w.page.getByRole('combobox', { name, exact: true }).count(), 1, name);
    assert.equal(await w.page.getByRole('textbox', { name: 'Message to Rozet', exact: true }).count(), 1);
  });

  it('a pick with the mouse posts model.switch for that role and keeps the picker when the host confirms', async () => {
    await w.send(f.init());
    await w.page.click('#rz-model-worker');
    await option(w, 'worker', 'qwen2.5-coder:7b').click();
    assert.deepEqual(await switches(w), [{ type: 'model.switch', role: 'worker', model: 'qwen2.5-coder:7b' }]);
    // The host saves the setting and answers with the header; the picker stays where it was.
    const confirmed: ModelsConfig = { ...f.models, worker: { ...f.models.worker, model: 'qwen2.5-coder:7b' } };
    await w.send({ type: 'models', models: confirmed });
    assert.equal(await valueOf(w, 'worker'), 'qwen2.5-coder:7b');
    assert.equal(await focusedId(w), 'rz-model-worker', 'focus stays on the picker');
    assert.equal((await switches(w)).length, 1, "the host's answer is not a second pick");
  });

  it('a picker whose list could not be fetched asks the host again when opened, once, and then picks', async () => {
    const down: ModelsConfig = {
      ...f.models,
      orchestrator: {
        ...f.models.orchestrator,
        models: ['openai/gpt-5-nano'],
        health: 'error',
        healthDetail: 'timed out',
      },
    };
    await w.send(f.init({ models: down }));
    const refreshes = async () => (await w.posted()).filter((m) => m.type === 'models.refresh').length;
    await w.page.click('#rz-model-orchestrator');
    await w.settle();
    assert.equal(await refreshes(), 1, 'opening the picker asked for the list again');
    await w.page.keyboard.press('Escape');
    await w.page.click('#rz-model-orchestrator');
    await w.settle();
    assert.equal(await refreshes(), 1, 'not again before the host answered');
    // The host lists the models again; the picker, still open, offers them.
    await w.send({ type: 'models', models: f.models });
    await option(w, 'orchestrator', 'anthropic/claude-sonnet-4.5').click();
    assert.deepEqual(await switches(w), [
      { type: 'model.switch', role: 'orchestrator', model: 'anthropic/claude-sonnet-4.5' },
    ]);
  });

  it('a pick with the keyboard: Tab to the picker, arrows, Enter', async () => {
    await w.send(f.init());
    await w.page.keyboard.press('Tab'); // Check
    await w.page.keyboard.press('Tab');
    assert.equal(await focusedId(w), 'rz-model-orchestrator');
    await w.page.keyboard.press('ArrowDown'); // opens on the current model
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('Enter');
    assert.deepEqual(await switches(w), [
      { type: 'model.switch', role: 'orchestrator', model: 'anthropic/claude-sonnet-4.5' },
    ]);
    assert.equal(await focusedId(w), 'rz-model-orchestrator');
    // Choosing the model it shows again asks the host for nothing; going back does.
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('Enter');
    assert.equal((await switches(w)).length, 1);
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('ArrowUp');
    await w.page.keyboard.press('Enter');
    assert.deepEqual((await switches(w))[1], {
      type: 'model.switch',
      role: 'orchestrator',
      model: 'openai/gpt-5-nano',
    });
  });

  it('500 models: the picker filters as you type, and Enter picks the match', async () => {
    const many = Array.from({ length: 500 }, (_, i) => `vendor/model-${String(i).padStart(3, '0')}`);
    await w.send(
      f.init({ models: { ...f.models, orchestrator: { ...f.models.orchestrator, model: many[0], models: many } } }),
    );
    const input = w.page.locator('#rz-model-orchestrator input.combobox-input');
    await input.click();
    await w.page.keyboard.type('model-42');
    const shown = await w.page.locator('#rz-model-orchestrator li.option').allInnerTexts();
    assert.deepEqual(
      shown.map((t) => t.trim()),
      ['vendor/model-420', 'vendor/model-421', 'vendor/model-422', 'vendor/model-423', 'vendor/model-424'].concat(
        ['5', '6', '7', '8', '9'].map((d) => `vendor/model-42${d}`),
      ),
    );
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('ArrowDown');
    await w.page.keyboard.press('Enter');
    assert.deepEqual(await switches(w), [{ type: 'model.switch', role: 'orchestrator', model: 'vendor/model-421' }]);
  });

  it('a model name with markup or control characters is shown inert and sent back unchanged', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">\u001b[2K\rfake';
    await w.send(
      f.init({ models: { ...f.models, worker: { ...f.models.worker, models: [f.models.worker.model, hostile] } } }),
    );
    await w.page.click('#rz-model-worker');
    const shown = option(w, 'worker', '<img src=x onerror="window.__pwned=1">␛[2K␍fake');
    assert.equal(await shown.count(), 1, 'the name is text, its control characters visible');
    await shown.click();
    assert.deepEqual(await switches(w), [{ type: 'model.switch', role: 'worker', model: hostile }]);
    assert.equal(await w.page.evaluate(() => (window as Window & { __pwned?: number }).__pwned), undefined);
    assert.equal(await w.page.locator('#root img').count(), 0);
  });

  it('a switch while a run goes says it applies to the next plan', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    await w.page.click('#rz-model-orchestrator');
    await option(w, 'orchestrator', 'anthropic/claude-sonnet-4.5').click();
    assert.equal((await switches(w)).length, 1);
    assert.match(
      await w.page.locator('[role="status"]').innerText(),
      /Planner model set to anthropic\/claude-sonnet-4\.5\. The run in progress keeps the models it started with; the next plan uses/,
    );
  });
});
