// The scripted model server as its own process, for the CLI, VS Code host and browser
// tests: `npx tsx test/support/model-server-main.ts [--port N] [--scenario file.json]
// [--fixtures dir]`. Prints its base URL (http://127.0.0.1:PORT) as the first stdout
// line, then serves until SIGTERM/SIGINT. The scenario format is documented at the top
// of model-server.ts; GET /__rozet/requests returns what it received.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startModelServer, type Scenario } from './model-server';
import { errorMessage } from '../../src/core/text/error-message';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, scenario: { type: 'string' }, fixtures: { type: 'string' } },
  });
  const scenario = values.scenario ? (JSON.parse(readFileSync(values.scenario, 'utf8')) as Scenario) : undefined;
  const server = await startModelServer({
    port: values.port ? Number(values.port) : 0,
    scenario,
    fixturesDir: values.fixtures,
  });
  process.stdout.write(`${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`model-server: ${errorMessage(error)}\n`);
  process.exit(1);
});
