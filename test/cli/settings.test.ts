/**
 * Flags and environment variables, run as a user would (bin/tracegraph.js): each bad value is
 * refused before any work, naming the flag or variable, with exit code 1 and no store made; an
 * empty variable counts as unset; `start` loads a bundle as `import` does.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import dns from 'node:dns/promises';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { serveSettingsFrom } from '../../src/cli/commands/serve';
import { FIXTURE_BUNDLES, suiteTemps } from '../import/temp-bundle';
import { BIN, cliEnv, ROOT, runCli } from './run-cli';
import { DISTRICT_COUNTS } from '../store/fixtures';

const DISTRICT = path.join(FIXTURE_BUNDLES, 'district');

const temp = suiteTemps('tracegraph-cli-settings-');

/** A refusal: exit 1, nothing on standard output, this one line on standard error. */
const refused = (line: string) => ({ code: 1, stdout: '', stderr: `${line}\n` });

/**
 * A port that only a privileged process may listen on: below net.ipv4.ip_unprivileged_port_start
 * (1024 unless lowered), 80 where that allows.
 */
function privilegedPort(): number {
  let start = 1024;
  try {
    start = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  } catch {
    // Not Linux: ports below 1024 are privileged.
  }
  if (!(start > 1))
    throw new Error(`any process may listen on any port here (ip_unprivileged_port_start ${start})`);
  return Math.min(80, start - 1);
}

/** A port another process listens on, for the duration of `use`. */
async function withPortTaken(use: (port: number) => Promise<void>): Promise<void> {
  const taker: Server = createServer();
  await new Promise<void>((resolve) => taker.listen(0, '127.0.0.1', resolve));
  try {
    await use((taker.address() as { port: number }).port);
  } finally {
    await new Promise<void>((resolve) => taker.close(() => resolve()));
  }
}

/**
 * Runs `tracegraph ...args` until it says where the API listens, calls `use` with the address,
 * then stops it (SIGTERM) and waits for it to end.
 */
async function whileServing(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string },
  use: (url: string) => Promise<void>,
): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
  const ended = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const listening = /GraphQL and explorer: (\S+)\/graphql\n/.exec(stderr);
      if (listening) resolve(listening[1]!);
    });
    child.on('error', reject);
    void ended.then(() => reject(new Error(`it ended before listening:\n${stderr}`)));
  });
  try {
    await use(url);
  } finally {
    child.kill('SIGTERM');
    await ended;
  }
}

describe('start', () => {
  test('a bundle it refuses leaves a folder with no store as it was, as import does', async () => {
    const parent = temp();
    const data = path.join(parent, 'data');
    const nope = path.join(parent, 'nope');
    const result = await runCli(['--data', data, 'start', '--bundle', nope, '--no-serve']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `the store is empty: loading ${nope}\n1 problem found; nothing was written:\n` +
        `  ${nope}: is not a folder (a bundle is a folder of CSV files)\n`,
    });
    expect(readdirSync(parent)).toEqual([]);
    expect((await runCli(['stats', '--data', data])).stderr).toMatch(/^no store in /);
  });

  test('loads a bundle into a folder with no store, then leaves the store it made alone', async () => {
    const data = path.join(temp(), 'data');
    const first = await runCli(['--data', data, 'start', '--bundle', DISTRICT, '--no-serve']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^the store is empty: loading .*\nimported 28 records \(/);
    expect(first.stdout).toContain(`${path.join(data, 'tracegraph.db')}: persons 4, places 6,`);
    expect(first.stdout).toMatch(/\nas of .*: 2 cases /);
    // The demo bundle, loaded by default, is left out quietly.
    const again = await runCli(['--data', data, 'start', '--no-serve']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(first.stdout);
    const stats = await runCli(['stats', '--json', '--data', data]);
    expect(JSON.parse(stats.stdout)).toEqual(DISTRICT_COUNTS);
  });

  test('a --bundle given for a store that holds data is not loaded, saying so; one that is not a folder is refused', async () => {
    const data = path.join(temp(), 'data');
    const store = path.join(data, 'tracegraph.db');
    const first = await runCli(['--data', data, 'start', '--bundle', DISTRICT, '--no-serve']);
    expect(first.code).toBe(0);

    const later = path.join(FIXTURE_BUNDLES, 'district-later');
    const given = await runCli(['--data', data, 'start', '--bundle', later, '--no-serve']);
    expect(given).toEqual({
      code: 0,
      stdout: first.stdout,
      stderr:
        `--bundle: ${later} is not loaded: ${store} already holds data, and start loads a bundle only into ` +
        `an empty store (tracegraph --data ${data} import ${later} adds it)\n`,
    });

    const nope = path.join(data, 'nope');
    expect(await runCli(['--data', data, 'start', '--bundle', nope, '--no-serve'])).toEqual(
      refused(`--bundle: "${nope}" is not a folder (a bundle is a folder of CSV files)`),
    );
    const file = path.join(DISTRICT, 'persons.csv');
    expect(await runCli(['--data', data, 'start', '--bundle', file, '--no-serve'])).toEqual(
      refused(`--bundle: "${file}" is not a folder (a bundle is a folder of CSV files)`),
    );
    const stats = await runCli(['stats', '--json', '--data', data]);
    expect(JSON.parse(stats.stdout)).toEqual(DISTRICT_COUNTS);
  });

  test('--capacity caps the beds of the summary, as report does; a bad value is refused before the bundle is loaded', async () => {
    const parent = temp();
    const data = path.join(parent, 'data');
    for (const value of ['0x10', '-1'])
      expect(await runCli(['--data', data, 'start', '--capacity', value, '--no-serve'])).toEqual(
        refused(`--capacity: "${value}" is not a whole number of beds`),
      );
    expect(readdirSync(parent)).toEqual([]);

    const sites = await runCli(['--data', data, 'start', '--bundle', DISTRICT, '--no-serve']);
    expect(sites.stdout).toContain('; 2/50 quarantine beds taken;');
    const capped = await runCli(['--data', data, 'start', '--capacity', '1', '--no-serve']);
    expect(capped).toMatchObject({ code: 0, stderr: '' });
    expect(capped.stdout).toContain('; 1/1 quarantine beds taken;');
    const report = await runCli(['--data', data, 'report', '--capacity', '1']);
    expect(JSON.parse(report.stdout).summary).toMatchObject({ quarantineBeds: 1 });
  });

  test('a bad port (flag or PORT) is refused before the bundle is loaded', async () => {
    const parent = temp();
    const data = path.join(parent, 'data');
    expect(await runCli(['--data', data, 'start', '--port', 'abc'])).toEqual(
      refused('--port: "abc" is not a port number'),
    );
    expect(await runCli(['--data', data, 'start'], { env: { PORT: '70000' } })).toEqual(
      refused('PORT: "70000" is not a port number'),
    );
    expect(await runCli(['--data', data, 'start', '--host', 'nonexistent.invalid'])).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^--host: "nonexistent\.invalid" is not an address \([^\n]+\)\n$/),
    });
    expect(readdirSync(parent)).toEqual([]);
  });

  test('a port in use (from the flag or PORT) is refused before the bundle is loaded, naming the host', async () => {
    await withPortTaken(async (port) => {
      const parent = temp();
      const data = path.join(parent, 'data');
      expect(await runCli(['--data', data, 'start', '--bundle', DISTRICT, '--port', String(port)])).toEqual(
        refused(`--port: port ${port} on 127.0.0.1 is already in use`),
      );
      expect(
        await runCli(['--data', data, 'start', '--bundle', DISTRICT], { env: { PORT: String(port) } }),
      ).toEqual(refused(`PORT: port ${port} on 127.0.0.1 is already in use`));
      // Nothing imported: no store was made.
      expect(readdirSync(parent)).toEqual([]);
    });
  });
});

describe('serve: each bad setting is refused naming it, before the store is opened', () => {
  /** Runs `serve` on a folder that does not exist and checks it was not made. */
  const serve = async (args: string[], env: Record<string, string> = {}, unprivileged = false) => {
    const parent = temp();
    const result = await runCli(['serve', '--data', path.join(parent, 'data'), ...args], {
      env,
      timeoutMs: 60_000,
      unprivileged,
    });
    expect(readdirSync(parent)).toEqual([]);
    return result;
  };

  test('PORT is named when the port came from it; an empty PORT counts as unset; --port wins', async () => {
    expect(await serve([], { PORT: 'abc' })).toEqual(refused('PORT: "abc" is not a port number'));
    expect(await serve(['--port', '0x10'], { PORT: '4000' })).toEqual(
      refused('--port: "0x10" is not a port number'),
    );
    // Past the port (an empty PORT is not refused), the host is.
    expect((await serve(['--host', 'nonexistent.invalid'], { PORT: '' })).stderr).toMatch(
      /^--host: "nonexistent\.invalid" is not an address \(/,
    );
  });

  test('a port in use, named by where it came from (--port or PORT) and with the host', async () => {
    await withPortTaken(async (port) => {
      expect(await serve(['--port', String(port)])).toEqual(
        refused(`--port: port ${port} on 127.0.0.1 is already in use`),
      );
      expect(await serve(['--host', '127.0.0.1'], { PORT: String(port) })).toEqual(
        refused(`PORT: port ${port} on 127.0.0.1 is already in use`),
      );
    });
  });

  test('a port this process may not listen on (below 1024, without the privilege): --port or PORT, before a bundle is loaded', async () => {
    // The tests run as root, who may listen on any port: the command runs without that capability.
    const port = privilegedPort();
    const needsPrivilege = (source: string): string =>
      `${source}: port ${port} on 127.0.0.1 needs privileges this process does not have`;
    expect(await serve(['--port', String(port)], {}, true)).toEqual(refused(needsPrivilege('--port')));
    expect(await serve([], { PORT: String(port) }, true)).toEqual(refused(needsPrivilege('PORT')));
    // `start` is refused before it loads the bundle: no store is made.
    const parent = temp();
    const data = path.join(parent, 'data');
    expect(
      await runCli(['--data', data, 'start', '--bundle', DISTRICT, '--port', String(port)], {
        unprivileged: true,
        timeoutMs: 60_000,
      }),
    ).toEqual(refused(needsPrivilege('--port')));
    expect(readdirSync(parent)).toEqual([]);
  });

  test('LOG_LEVEL, before any API key is made up and printed', async () => {
    expect(await serve(['--port', '0'], { LOG_LEVEL: 'bogus' })).toEqual(
      refused(
        'LOG_LEVEL: "bogus" is not a log level (known: trace, debug, info, warn, error, fatal, silent)',
      ),
    );
  });

  test('an audit file that cannot be appended to', async () => {
    const file = path.join(temp(), 'no-such-folder', 'audit.jsonl');
    expect(
      await serve(['--port', '0'], { TRACEGRAPH_API_KEYS: 'ka:admin', TRACEGRAPH_AUDIT_FILE: file }),
    ).toEqual(
      refused(
        `TRACEGRAPH_AUDIT_FILE: cannot append to "${file}": ENOENT: no such file or directory, open '${file}'`,
      ),
    );
  });

  test('an API key with a space, named by its position and not shown', async () => {
    const result = await serve(['--port', '0'], { TRACEGRAPH_API_KEYS: 'ka:admin,my key:admin' });
    expect(result).toEqual(
      refused(
        'TRACEGRAPH_API_KEYS: the key of entry 2 holds a space or a character that cannot be sent in ' +
          '"Authorization: Bearer <key>" (a key is letters, digits and ASCII punctuation)',
      ),
    );
  });
});

describe('serve --host', () => {
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
  afterEach(() => jest.restoreAllMocks());

  test('an IP address is not looked up (a slow resolver would delay the start); a name is', async () => {
    const lookup = jest.spyOn(dns, 'lookup');
    for (const host of ['127.0.0.1', '::1', '0.0.0.0'])
      await expect(serveSettingsFrom({ host, port: '0' }, io)).resolves.toMatchObject({ host, port: 0 });
    expect(lookup).not.toHaveBeenCalled();
    await expect(serveSettingsFrom({ host: 'nonexistent.invalid', port: '0' }, io)).rejects.toThrow(
      /^--host: "nonexistent\.invalid" is not an address \(/,
    );
    expect(lookup).toHaveBeenCalledWith('nonexistent.invalid');
  });

  test('serves on an IP address', async () => {
    const data = path.join(temp(), 'data');
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    await whileServing(['serve', '--data', data, '--host', '127.0.0.1', '--port', '0'], {}, async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    });
  });
});

describe('NEO4J_URI', () => {
  const expected = (uri: string, problem: string) => refused(`NEO4J_URI: "${uri}" ${problem}`);
  const noScheme =
    'is not the address of a Neo4j server: give scheme://host[:port] with a scheme of neo4j, neo4j+s, ' +
    'neo4j+ssc, bolt, bolt+s, bolt+ssc (e.g. bolt://127.0.0.1:7687)';

  test.each([
    ['notauri', noScheme],
    ['localhost:7687', noScheme],
    [
      'http://localhost:7474',
      'has the scheme "http": give scheme://host[:port] with a scheme of neo4j, neo4j+s, neo4j+ssc, bolt, ' +
        'bolt+s, bolt+ssc (e.g. bolt://127.0.0.1:7687)',
    ],
    [
      'bolt://[bad',
      'is not a valid address (a host name, an IP address or [IPv6 address], then :port, 0 to 65535)',
    ],
    [
      'bolt://',
      'names no host: give scheme://host[:port] with a scheme of neo4j, neo4j+s, neo4j+ssc, bolt, bolt+s, ' +
        'bolt+ssc (e.g. bolt://127.0.0.1:7687)',
    ],
  ])('%s is a setting to correct (exit 1), not a server that is down (exit 2)', async (uri, problem) => {
    const cwd = temp();
    const commands =
      uri === 'notauri' ? [['stats'], ['import', DISTRICT], ['serve', '--port', '0']] : [['stats']];
    for (const args of commands)
      expect(await runCli(args, { cwd, env: { NEO4J_URI: uri }, timeoutMs: 60_000 })).toEqual(
        expected(uri, problem),
      );
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('other flags and variables', () => {
  test('an empty TRACEGRAPH_DATA counts as unset (./data); an empty --data is refused', async () => {
    const cwd = temp();
    expect((await runCli(['import', DISTRICT], { cwd, env: { TRACEGRAPH_DATA: '' } })).code).toBe(0);
    expect(existsSync(path.join(cwd, 'data', 'tracegraph.db'))).toBe(true);
    const stats = await runCli(['stats', '--json'], { cwd, env: { TRACEGRAPH_DATA: '' } });
    expect(JSON.parse(stats.stdout)).toEqual(DISTRICT_COUNTS);
    expect(await runCli(['stats', '--data', ''], { cwd })).toEqual(refused('--data: no folder given'));
  });

  test("an empty TRACEGRAPH_ASSETS_DIR counts as unset: the chain view script is the project's, not one in the current folder", async () => {
    const cwd = temp();
    const decoy = '/* not the chain view */';
    writeFileSync(path.join(cwd, 'chain-view.js'), decoy);
    const data = path.join(temp(), 'data');
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    const env = { TRACEGRAPH_ASSETS_DIR: '', TRACEGRAPH_API_KEYS: 'ka:admin' };
    await whileServing(['serve', '--data', data, '--port', '0'], { env, cwd }, async (url) => {
      const response = await fetch(`${url}/chains/app.js`);
      const body = await response.text();
      expect(body).not.toBe(decoy);
      // Built by `npm run build`; without it the script is missing, as it is when the variable is unset.
      const built = path.join(ROOT, 'dist-assets', 'chain-view.js');
      const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
      if (existsSync(built)) {
        expect(response.status).toBe(200);
        expect(sha256(body)).toBe(sha256(readFileSync(built, 'utf8')));
      } else {
        expect(response.status).toBe(404);
      }
    });
  });

  test('report --pathogen and --protocol name the flag and the presets', async () => {
    const pathogen = await runCli(['report', '--pathogen', 'nope', '--data', temp()]);
    expect(pathogen).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(
        "error: option '--pathogen <preset>' argument 'nope' is invalid. Allowed choices are omicron-ba5.\n",
      ),
    });
    const protocol = await runCli(['report', '--protocol', 'nope', '--data', temp()]);
    expect(protocol.code).toBe(1);
    expect(protocol.stderr).toContain(
      "error: option '--protocol <preset>' argument 'nope' is invalid. Allowed choices are cn-9th-2022, cn-20-measures-2022.\n",
    );
  });

  test('seed --out with no folder names --out', async () => {
    expect(await runCli(['seed', '--out', ''])).toEqual(
      refused('--out: no folder given to write the bundle to'),
    );
  });
});

describe('report --params and --param: a refusal names the flag and the file or entry', () => {
  /** A parameter file holding `text`, in a folder of its own. */
  const paramFile = (text: string): string => {
    const file = path.join(temp(), 'params.json');
    writeFileSync(file, text);
    return file;
  };
  /** `report` refuses before it opens the store: the folder given is not made. */
  const report = async (args: string[]) => {
    const parent = temp();
    const result = await runCli(['report', '--format', 'json', '--data', path.join(parent, 'data'), ...args]);
    expect(readdirSync(parent)).toEqual([]);
    return result;
  };

  test('--params: a file that cannot be read, or an empty name', async () => {
    const missing = path.join(temp(), 'nope.json');
    expect(await report(['--params', missing])).toEqual(
      refused(`--params: ${missing}: ENOENT: no such file or directory`),
    );
    expect(await report(['--params', ''])).toEqual(refused('--params: no file given'));
  });

  test('--params: a file that is not JSON, with the line and column', async () => {
    const file = paramFile('{\n  "protocol": {\n    "preOnsetDays": 4,\n  }\n}\n');
    expect(await report(['--params', file])).toEqual(
      refused(`--params: ${file}: line 4, column 3: Expected double-quoted property name in JSON`),
    );
  });

  test('--params: a file saved with a UTF-8 byte-order mark (a Windows editor) is read as its text', async () => {
    const data = temp();
    expect((await runCli(['import', DISTRICT, '--data', data])).code).toBe(0);
    const file = paramFile('\ufeff{\r\n  "protocol": { "preOnsetDays": 4 }\r\n}\r\n');
    const reported = await runCli(['report', '--format', 'json', '--data', data, '--params', file]);
    expect(reported).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(reported.stdout).parameters).toEqual({
      protocol: 'cn-9th-2022',
      pathogen: 'omicron-ba5',
      changed: ['protocol.preOnsetDays=4'],
    });
  });

  test('--params: a second byte-order mark is refused at its line and column', async () => {
    const file = paramFile('\ufeff\ufeff{\r\n  "protocol": { "preOnsetDays": 4 }\r\n}\r\n');
    expect(await report(['--params', file])).toEqual(
      refused(
        `--params: ${file}: line 1, column 1: a stray byte-order mark (U+FEFF, which most editors do not ` +
          'show): only the first character of the file may be one; remove this one',
      ),
    );
  });

  test('--params: an unknown key, a bad value, not an object', async () => {
    const unknown = paramFile('{"pathogen": {"infectiousDaysAfterOnsett": 8}}');
    expect(await report(['--params', unknown])).toEqual(
      refused(`--params: ${unknown}: pathogen: Unrecognized key: "infectiousDaysAfterOnsett"`),
    );
    const bad = paramFile('{"protocol": {"preOnsetDays": -3}}');
    expect(await report(['--params', bad])).toEqual(
      refused(`--params: ${bad}: protocol.preOnsetDays: Too small: expected number to be >=0`),
    );
    const list = paramFile('[{"protocol": {}}]');
    expect(await report(['--params', list])).toEqual(
      refused(`--params: ${list}: Invalid input: expected object, received array`),
    );
  });

  test('--param: the entry that is not path=value, names no parameter, or gives a bad value', async () => {
    expect(await report(['--param', 'preOnsetDays'])).toEqual(
      refused('--param "preOnsetDays": is not path=value (e.g. protocol.preOnsetDays=4)'),
    );
    expect(await report(['--param', 'pathogen.riskPerHour=0.02'])).toEqual(
      refused('--param "pathogen.riskPerHour=0.02": parameter "pathogen.riskPerHour" does not exist'),
    );
    // Of several, the one at fault; a file that is fine is not blamed.
    const good = paramFile('{"protocol": {"preOnsetDays": 4}}');
    expect(
      await report([
        '--params',
        good,
        '--param',
        'protocol.closeContactMinutes=20',
        '--param',
        'protocol.preOnsetDays=x',
      ]),
    ).toEqual(
      refused(
        '--param "protocol.preOnsetDays=x": protocol.preOnsetDays: Invalid input: expected number, received string',
      ),
    );
    // A value wrong only beside another (the hours of a night): the entry that set either.
    expect(
      await report(['--param', 'protocol.preOnsetDays=3', '--param', 'protocol.householdNightEndHour=23']),
    ).toEqual(
      refused(
        '--param "protocol.householdNightEndHour=23": protocol.householdNightStartHour: a night runs from an ' +
          'evening hour to a morning hour: it must be later than householdNightEndHour (got 22 and 23)',
      ),
    );
  });
});

describe('--help documents the flags and variables', () => {
  test.each([
    [['--help'], ['TRACEGRAPH_DATA', 'NEO4J_URI', 'NEO4J_DATABASE', 'TRACEGRAPH_DEBUG', 'tracegraph:cypher']],
    [
      ['serve', '--help'],
      [
        '--port',
        '--host',
        'PORT',
        'LOG_LEVEL',
        'TRACEGRAPH_API_KEYS',
        'TRACEGRAPH_AUDIT_FILE',
        'TRACEGRAPH_INTROSPECTION',
        'TRACEGRAPH_ASSETS_DIR',
      ],
    ],
    [
      ['start', '--help'],
      ['--bundle', '--capacity', '--port', '--host', '--no-serve', 'PORT', 'LOG_LEVEL'],
    ],
    [
      ['report', '--help'],
      ['--protocol', 'cn-20-measures-2022', '--pathogen', 'omicron-ba5'],
    ],
  ])('%j', async (args, names) => {
    const { code, stdout } = await runCli(args);
    expect(code).toBe(0);
    for (const name of names) expect(stdout).toContain(name);
  });
});
